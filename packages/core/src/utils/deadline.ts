/**
 * Settles with `work`, or rejects with `timeoutError()` as soon as `deadline` (a `Date.now()` value) passes, so a
 * call with a timeout settles within it whatever it waits on (a connection being set up, a metadata refresh, a
 * request with a longer timeout of its own). `work` goes on in the background; its late failure is swallowed here,
 * never an unhandled rejection.
 */
export function settleBy<T>(work: Promise<T>, deadline: number, timeoutError: () => Error): Promise<T> {
  const remaining = deadline - Date.now();
  if (remaining <= 0) {
    work.catch(() => undefined);
    return Promise.reject(timeoutError());
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      work.catch(() => undefined);
      reject(timeoutError());
    }, remaining);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
