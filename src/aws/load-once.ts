// A value made once by an async loader (a dynamic import, an SDK client, a lab's checks): callers share the first
// attempt, and a failed attempt (a chunk that could not be fetched) is forgotten, so the next call tries again.
// Free of SDK imports, so the shell and the workbench can use it without loading the SDK.

export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
