/** Only same-site paths are followed after login, never `//evil.example` or `https://…`. */
export function safeReturnUrl(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/\\')) return '/';
  if (candidate.startsWith('/login') || candidate.startsWith('/register')) return '/';
  return candidate;
}
