/** The size a picture takes in a message bubble, worked out before it loads so the list does not jump. */
export interface ThumbBox {
  width: number;
  height: number;
}

/** The largest a thumbnail shows in a bubble. */
export const THUMB_MAX = { width: 240, height: 180 } as const;
/** What a picture of unknown size takes. */
const UNKNOWN: ThumbBox = { width: 180, height: 135 };
/** Thin pictures (a panorama, a long screenshot) still get a box one can see and click. */
const MIN_SIDE = 48;

/** Scales the picture's own size down (never up) into the bubble's largest box, keeping its shape. */
export function thumbBox(width: number | undefined, height: number | undefined, max: ThumbBox = THUMB_MAX): ThumbBox {
  if (!width || !height || width <= 0 || height <= 0) return UNKNOWN;
  const scale = Math.min(1, max.width / width, max.height / height);
  return {
    width: Math.max(MIN_SIDE, Math.round(width * scale)),
    height: Math.max(MIN_SIDE, Math.round(height * scale)),
  };
}
