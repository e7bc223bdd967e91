// Temporal-backed tests start servers and workers: give them time on a loaded 2-core machine.
jest.setTimeout(120_000);
