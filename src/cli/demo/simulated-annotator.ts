// Simulated annotators for the demo: they label through the same API as people, answering the
// dataset's true label except, at their stated error rate, a different label chosen at random.
import type { FlywheelClient } from '../../client/index.js';
import { seededRandom } from '../../domain/seeded-random.js';

export interface AnnotatorProfile {
  username: string;
  display_name: string;
  /** Share of answers that are wrong on purpose. */
  error_rate: number;
}

export const DEMO_ANNOTATORS: AnnotatorProfile[] = [
  { username: 'ana-lopez', display_name: 'Ana López (in-house)', error_rate: 0.05 },
  { username: 'ben-okafor', display_name: 'Ben Okafor (contractor)', error_rate: 0.1 },
  { username: 'chen-wei', display_name: 'Chen Wei (crowd)', error_rate: 0.2 },
];

export class SimulatedAnnotator {
  private readonly random: () => number;
  labelled = 0;
  wrong = 0;

  constructor(
    readonly profile: AnnotatorProfile,
    private readonly client: FlywheelClient,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  private answer(truth: string, labels: readonly string[]): string {
    if (this.random() >= this.profile.error_rate) return truth;
    const others = labels.filter((l) => l !== truth);
    this.wrong++;
    return others[Math.floor(this.random() * others.length)];
  }

  /** Pull tasks from the job's queue until it is empty for this annotator; answers how many were labelled. */
  async work(project: string, job: string, truthOf: (data: Record<string, unknown>) => string, labels: readonly string[]): Promise<number> {
    let done = 0;
    for (;;) {
      const { task } = await this.client.nextLabellingTask({ params: { project, job } });
      if (!task) return done;
      const label = this.answer(truthOf(task.data as Record<string, unknown>), labels);
      await this.client.submitLabel({ params: { project, job, task: task.id }, body: { label } });
      done++;
      this.labelled++;
    }
  }
}
