import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiSchema, type ApiSchemaOptions } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type FieldError, ValidationProblem } from './problem.js';

const pointerOf = (path: readonly string[]) =>
  path.map((p) => `/${p.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

function flatten(errors: readonly ValidationError[], parent: string[] = []): FieldError[] {
  return errors.flatMap((error) => {
    // A body that is not an object at all (a string, an array) fails with no property name.
    const path = error.property ? [...parent, error.property] : parent;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({
      field: path.join('.'),
      pointer: pointerOf(path),
      detail,
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Every string in `value` (keys included) that holds U+0000, as field errors. PostgreSQL cannot
 * store NUL in text, so it must never get that far, whatever the route or its DTO.
 */
export function nulErrors(value: unknown, path: string[] = []): FieldError[] {
  const here = (at: string[]) => {
    const field = at.join('.').replaceAll('\0', '\\u0000');
    return {
      field,
      pointer: pointerOf(at),
      detail: `${field || 'the value'} must not contain the NUL character (U+0000)`,
    };
  };
  if (typeof value === 'string') return value.includes('\0') ? [here(path)] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key.includes('\0') ? [here([...path, key])] : nulErrors(inner, [...path, key]),
  );
}

const AT_LEAST_ONE_FIELD = 'nuell:at-least-one-field';

/**
 * On a body DTO whose fields are all optional (a change): a body with none of them changes
 * nothing and is refused with 400, and the document says so (`minProperties: 1`).
 */
export const AtLeastOneField = (): ClassDecorator => (target) => {
  // ApiSchema copies what it is given into the schema; its type knows only name and description.
  ApiSchema({ minProperties: 1 } as ApiSchemaOptions)(target);
  Reflect.defineMetadata(AT_LEAST_ONE_FIELD, true, target);
};

function changesNothing(value: unknown, metadata: ArgumentMetadata): boolean {
  return (
    metadata.type === 'body' &&
    metadata.metatype !== undefined &&
    Reflect.getMetadata(AT_LEAST_ONE_FIELD, metadata.metatype) === true &&
    Object.values(value as object).every((field) => field === undefined)
  );
}

/**
 * The global ValidationPipe, which first refuses NUL in any body, query or path parameter, and
 * last a change that names nothing to change.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const errors = nulErrors(value, metadata.data ? [metadata.data] : []);
      if (errors.length > 0) throw new ValidationProblem(errors);
    }
    const transformed: unknown = await super.transform(value, metadata);
    if (changesNothing(transformed, metadata)) {
      throw new ValidationProblem([{ field: '', pointer: '', detail: 'Nothing to change: send at least one field.' }]);
    }
    return transformed;
  }
}

/**
 * Validates every body, query and param DTO. class-validator runs a property's decorators from
 * the bottom up and `stopAtFirstError` reports the first failure, so DTOs keep the type check
 * (`@IsString()`, `@IsInt()`) closest to the property: a number where a string belongs is then
 * reported as such. NUL characters are refused anywhere. Unknown fields are refused (no mass assignment),
 * values are converted to the declared types, and failures become one ValidationProblem.
 */
const VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
} as const;

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    ...VALIDATION,
    transform: true,
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

/**
 * The same checks for input that does not arrive through a route (the control panel's forms):
 * the DTO instance, or a ValidationProblem naming every invalid field.
 */
export async function validated<T extends object>(dto: new () => T, plain: object): Promise<T> {
  const nul = nulErrors(plain);
  if (nul.length > 0) throw new ValidationProblem(nul);
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, VALIDATION);
  if (errors.length > 0) throw new ValidationProblem(flatten(errors));
  return instance;
}
