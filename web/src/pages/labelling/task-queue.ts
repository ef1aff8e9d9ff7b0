// The annotator's queue on the workbench: the task on screen and the next one, fetched while the
// current one is being labelled (the queue passes over the task on screen), with its image
// warmed up — so the next task appears as soon as a label is submitted.
import { useCallback, useRef, useState } from 'react';
import type { QueuedTaskView } from '../../../../src/contracts/index.js';
import { client } from '../../api.js';

export type Slot = { state: 'loading' } | { state: 'task'; task: QueuedTaskView; shownAt: number } | { state: 'done' };

type Preload = { after: string; next: Promise<QueuedTaskView | null> };

/** Start loading an image into the browser's cache. */
function warm(task: QueuedTaskView | null, imageField: string | undefined): void {
  const url = imageField && task ? task.data[imageField] : undefined;
  if (typeof url === 'string') new Image().src = url;
}

export function useTaskQueue(project: string, job: string, imageField: string | undefined) {
  const [slot, setSlot] = useState<Slot>({ state: 'loading' });
  const preload = useRef<Preload | undefined>(undefined);
  const [preloaded, setPreloaded] = useState<string | null>(null);

  const show = useCallback(
    (task: QueuedTaskView | null) => {
      if (!task) {
        preload.current = undefined;
        setSlot({ state: 'done' });
        return;
      }
      setSlot({ state: 'task', task, shownAt: Date.now() });
      setPreloaded(null);
      const next = client.nextLabellingTask({ params: { project, job }, query: { exclude: task.id } }).then(
        (r) => {
          warm(r.task, imageField);
          if (preload.current?.after === task.id) setPreloaded(r.task?.id ?? '');
          return r.task;
        },
        () => null,
      );
      preload.current = { after: task.id, next };
    },
    [project, job, imageField],
  );

  /** Ask the server for the next task (nothing preloaded, or the preload may be stale). */
  const pull = useCallback(async () => {
    setSlot({ state: 'loading' });
    const r = await client.nextLabellingTask({ params: { project, job } });
    warm(r.task, imageField);
    show(r.task);
  }, [project, job, imageField, show]);

  /** Move past `done` (just labelled or skipped): the preloaded task when there is one. */
  const advance = useCallback(
    async (done: string) => {
      const p = preload.current;
      const next = p && p.after === done ? await p.next : undefined;
      if (next) show(next);
      else await pull();
    },
    [show, pull],
  );

  return { slot, show, pull, advance, preloaded };
}
