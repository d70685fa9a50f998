import { describe, expect, it } from 'vitest';
import { fitInside } from './image-fit';

describe('fitInside', () => {
  it('scales down to fit, keeping the shape, and never up', () => {
    expect(fitInside(480, 240, 320, 320)).toEqual({ width: 320, height: 160 });
    expect(fitInside(240, 480, 320, 320)).toEqual({ width: 160, height: 320 });
    expect(fitInside(100, 50, 320, 320)).toEqual({ width: 100, height: 50 });
    expect(fitInside(10000, 1, 320, 320)).toEqual({ width: 320, height: 1 });
  });
});
