import { paths } from '../paths.ts';
import { Layout, type Chrome } from './layout.tsx';

const texts: Record<number, { title: string; message: string }> = {
  400: { title: 'That request could not be understood', message: 'Something in the address or the form was not valid.' },
  403: { title: 'Not allowed', message: 'You may not do that.' },
  404: { title: 'Page not found', message: 'We could not find that page. It may never have existed, or its address may be mistyped.' },
  410: { title: 'No longer available', message: 'What was here has been withdrawn.' },
  413: { title: 'That was too large', message: 'What you sent is larger than we accept.' },
  429: { title: 'Too many requests', message: 'Please wait a few minutes and try again.' },
  500: { title: 'Something went wrong on our side', message: 'The error has been logged. Please try again in a moment.' },
  503: { title: 'Back in a moment', message: 'The site is busy or being updated. Please try again shortly.' },
};

export function errorTitle(status: number): string {
  return (texts[status] ?? texts[500])?.title ?? 'Error';
}

export function ErrorPage({ chrome, status, detail }: { chrome: Chrome; status: number; detail?: string }) {
  const text = texts[status] ?? texts[status >= 500 ? 500 : 400] ?? { title: 'Error', message: '' };
  return (
    <Layout chrome={chrome} meta={{ title: text.title, noindex: true }}>
      <div class="error-page">
        <p class="kicker">Error {status}</p>
        <h1>{text.title}</h1>
        <p>{detail ?? text.message}</p>
        <p>
          <a href={paths.home()}>Go to the front page</a> · <a href={paths.archive()}>Browse the archive</a> ·{' '}
          <a href={paths.contact()}>Contact us</a>
        </p>
      </div>
    </Layout>
  );
}
