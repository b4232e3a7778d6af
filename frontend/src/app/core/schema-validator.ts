import type { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import type { z } from 'zod';

/**
 * A form validator from one of the shared zod schemas, so a form refuses exactly what the
 * server refuses. The first issue's message lands in `errors.schema`. With `optional`, an
 * empty field is accepted.
 */
export function schemaValidator(schema: z.ZodType, options: { optional?: boolean } = {}): ValidatorFn {
  return (control: AbstractControl): ValidationErrors | null => {
    if (options.optional && (control.value === '' || control.value === null)) return null;
    const result = schema.safeParse(control.value);
    return result.success ? null : { schema: result.error.issues[0]?.message ?? 'is invalid' };
  };
}
