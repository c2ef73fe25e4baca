// Time is injected so timers, leases, schedules and drift windows can be tested without sleeping.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
