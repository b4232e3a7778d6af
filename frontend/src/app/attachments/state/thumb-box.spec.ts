import { THUMB_MAX, thumbBox } from './thumb-box';

describe('thumbBox', () => {
  it('keeps a small picture at its own size', () => {
    expect(thumbBox(120, 90)).toEqual({ width: 120, height: 90 });
  });

  it('scales a wide picture down to the largest width', () => {
    expect(thumbBox(4000, 1000)).toEqual({ width: THUMB_MAX.width, height: 60 });
  });

  it('scales a tall picture down to the largest height', () => {
    expect(thumbBox(900, 1800)).toEqual({ width: 90, height: THUMB_MAX.height });
  });

  it('gives thin pictures a side of at least 48 pixels', () => {
    expect(thumbBox(10_000, 20)).toEqual({ width: THUMB_MAX.width, height: 48 });
  });

  it('reserves a fixed box when the size is not known', () => {
    expect(thumbBox(undefined, undefined)).toEqual({ width: 180, height: 135 });
    expect(thumbBox(0, 100)).toEqual({ width: 180, height: 135 });
  });
});
