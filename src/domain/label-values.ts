// The annotation of a structured task, as stored with a label and as a task's consensus: the
// labels chosen (multi-label), labelled spans of a text, or labelled boxes on an image. Shapes
// follow Label Studio's result values so they convert one to one.

/**
 * A labelled span of a text: `start` and `end` are offsets in UTF-16 code units, as JavaScript
 * (and Label Studio) count them, end exclusive; `text` is the slice they select.
 */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
  labels: string[];
}

/**
 * A labelled box on an image, in percent of the image's width and height (0–100): `x`, `y` are
 * its top-left corner; `rotation` in degrees (Flywheel draws axis-aligned boxes: 0).
 */
export interface ImageBox {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  labels: string[];
}

export type LabelValue =
  | { type: 'choices'; choices: string[] }
  | { type: 'labels'; spans: TextSpan[] }
  | { type: 'rectanglelabels'; boxes: ImageBox[]; original_width?: number; original_height?: number };

export type ChoicesValue = Extract<LabelValue, { type: 'choices' }>;
export type SpansValue = Extract<LabelValue, { type: 'labels' }>;
export type BoxesValue = Extract<LabelValue, { type: 'rectanglelabels' }>;

/** An image uploaded to a labelling job, stored by content (sha256) in the artifact store. */
export interface LabellingImage {
  project_id: string;
  job_id: string;
  sha256: string;
  content_type: string;
  size: number;
  /** Pixels, read from the file's header when it is PNG, JPEG, GIF or WebP. */
  width: number | null;
  height: number | null;
  /** The task made for it. */
  task_id: string;
  name: string | null;
  created_by: string;
  created_at: number;
}
