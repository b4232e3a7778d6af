/**
 * Resolves when `work` settles, or after `ms` if it has not by then; never rejects. For waiting on
 * a write whose outcome someone else handles, without being held by a driver that never answers.
 */
export function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.then(() => undefined, () => undefined), late]).finally(() => clearTimeout(timer));
}
