// The work both servers do per request, so the benchmark measures only what is around it.
export const greeting = (name) => ({ message: `hello ${name}` });
