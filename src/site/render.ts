import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

export const renderHtml = (page: VNode): string => `<!doctype html>${render(page)}`;
