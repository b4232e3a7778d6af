import './zod-config';
import { config } from 'zod';
import { loginSchema } from '@shared';

describe('zod-config', () => {
  it('switches zod to jitless before any schema runs', () => {
    expect(config().jitless).toBeTrue();
  });

  it('leaves the schemas working without eval', () => {
    expect(loginSchema.safeParse({ username: 'ada', password: 'correct horse' }).success).toBeTrue();
  });
});
