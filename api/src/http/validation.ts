import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, ValidationProblem } from './problem.js';

function flatten(errors: readonly ValidationError[], parent: string[] = []): FieldError[] {
  return errors.flatMap((error) => {
    // A body that is not an object at all (a string, an array) fails with no property name.
    const path = error.property ? [...parent, error.property] : parent;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({
      field: path.join('.'),
      pointer: path.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
      detail,
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates every body, query and param DTO. class-validator runs a property's decorators from
 * the bottom up and `stopAtFirstError` reports the first failure, so DTOs keep the type check
 * (`@IsString()`, `@IsInt()`) closest to the property: a number where a string belongs is then
 * reported as such. Unknown fields are refused (no mass assignment),
 * values are converted to the declared types, and failures become one ValidationProblem.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}
