// An error met inside the newsroom (not allowed, not found, a server fault): said in the newsroom's
// own frame, with the way back, rather than on a reader's page.
import { AdminLayout, type AdminChrome } from './layout.tsx';
import { errorTitle } from '../../site/views/error.tsx';

const HINTS: Record<number, string> = {
  403: 'Your role does not allow this. An administrator can change your role or your desks.',
  404: 'Nothing in the newsroom is at this address. The story or page may have been deleted, or the address mistyped.',
  410: 'What was here has been withdrawn.',
};

export function AdminErrorPage({ chrome, status, detail }: { chrome: AdminChrome; status: number; detail?: string }) {
  const title = errorTitle(status);
  const message = detail ?? HINTS[status] ?? (status >= 500 ? 'The error has been logged. Please try again in a moment; nothing you saved is lost.' : 'That request could not be served.');
  return (
    <AdminLayout chrome={chrome} title={title} section="dashboard">
      <div class="error-page">
        <p class="slot">Error {status}</p>
        <h1>{title}</h1>
        <p>{message}</p>
        <p>
          <a href="/admin">Back to the dashboard</a> · <a href="/admin/stories">All stories</a>
        </p>
      </div>
    </AdminLayout>
  );
}
