// Delay a call until input pauses; flush() runs a pending call now (blur, submit).

export function debounce(fn, ms) {
  let timer = null;
  const run = () => {
    timer = null;
    fn();
  };
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    },
    flush() {
      if (timer === null) return;
      clearTimeout(timer);
      run();
    },
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
    get pending() {
      return timer !== null;
    },
  };
}
