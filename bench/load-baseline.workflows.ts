// Bench-only workflow bundle (bench/load.ts): the trivial workflow whose bare `client.workflow.start`
// is the baseline of the intake benchmark. Runs on its own task queue, never in the engine's bundle.
export async function benchNoopWorkflow(n: number): Promise<number> {
  return n;
}
