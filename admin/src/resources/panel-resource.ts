/**
 * The TypeORM adapter's resource, narrowed to what the panel may do with a table:
 *
 * - Columns the entity never selects (the password hash, token hashes) do not exist for the
 *   panel: no list, show, edit, filter, sort or export can name them.
 * - Filters and sorting come from an allowlist per resource. Text filters match case-insensitively
 *   with LIKE's wildcards escaped; a value that cannot match its column's type matches nothing.
 *   That allowlist is the only declaration of a filter: `panelResource` derives AdminJS's
 *   filterProperties from it, the choices of an enum, and the flag an `isSet` filter shows.
 * - Reads go through the panel's own DataSource, not the active-record statics (which follow
 *   whichever DataSource initialised last).
 * - Writes never go straight to the table: updates and deletes call the resource's `writer`,
 *   i.e. the API's services, which apply the API's rules and audit the change. Creation is off.
 */
import { HttpException } from '@nestjs/common';
import { Resource } from '@adminjs/typeorm';
import {
  type ActionContext,
  BaseRecord,
  type Filter,
  flat,
  type PropertyOptions,
  type ResourceOptions,
  type ResourceWithOptions,
  ValidationError,
} from 'adminjs';
import {
  Between,
  type BaseEntity,
  type DataSource,
  type FindOptionsWhere,
  ILike,
  In,
  IsNull,
  LessThanOrEqual,
  MoreThanOrEqual,
  MoreThan,
  Not,
  type ObjectLiteral,
  Raw,
} from 'typeorm';
import { ValidationProblem } from '@nuell/api';

/** How one filter field matches; a value it cannot take matches nothing. */
export type FilterRule<T> =
  | { readonly kind: 'text' }
  | { readonly kind: 'uuid' }
  /** One of `values`, which are also the property's choices in every form. */
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'range' }
  /**
   * Every word of the value appears in the column, case-insensitively and anywhere (inside words,
   * and in scripts written without spaces); a "quoted phrase" counts as one word.
   */
  | { readonly kind: 'words' }
  /**
   * A yes/no flag that is not a column: whether `column` is set (`verified`: emailVerifiedAt is
   * not null). The panel shows the flag under the filter's name.
   */
  | { readonly kind: 'isSet'; readonly column: Extract<keyof T, string> };

export interface ResourceWriter {
  readonly update?: (id: string, params: Record<string, unknown>, actorId: string) => Promise<void>;
  readonly delete?: (id: string, actorId: string) => Promise<void>;
}

export interface ResourceRules<T extends ObjectLiteral> {
  readonly filters: Readonly<Record<string, FilterRule<T>>>;
  readonly sortable: readonly string[];
  /** Rows the resource lists at all (sessions: one row per sign-in, its current token). */
  readonly scope?: FindOptionsWhere<T>;
  /** Values shown beside the columns (a device name, a verified flag). */
  readonly virtual?: (entity: T) => Record<string, unknown>;
  /**
   * Values that need another table, for a page of rows at once (one query per page, not per
   * row): by the row's id, merged over the virtual values.
   */
  readonly annotate?: (entities: readonly T[]) => Promise<ReadonlyMap<string, Record<string, unknown>>>;
  readonly writer?: ResourceWriter;
  /**
   * Narrows the rows a filter matches, given the filter's values (the audit log folds routine
   * panel sign-ins unless the action filter asks for them).
   */
  readonly refine?: (where: ObjectLiteral, values: Readonly<Record<string, unknown>>) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const escapeLike = (value: string) => value.replace(/[\\%_]/g, '\\$&');

/** AdminJS's own (un)flattening of params and queries, typed (its declaration does not resolve here). */
export const unflatten = flat.unflatten as unknown as (params: Record<string, unknown>) => Record<string, unknown>;

/** Most words a `words` filter matches on; more are ignored (each is one more scan of the text). */
export const MOST_WORDS = 8;

/** The words (and "quoted phrases") of a `words` filter, at most MOST_WORDS. */
export function wordsOf(value: string): string[] {
  const words = [...value.matchAll(/"([^"]+)"|(\S+)/g)].map((match) => (match[1] ?? match[2] ?? '').trim());
  return words.filter((word) => word !== '').slice(0, MOST_WORDS);
}

function date(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** The TypeORM condition for one filter value, or undefined when no row can match it. */
function condition<T>(rule: FilterRule<T>, value: unknown): unknown {
  switch (rule.kind) {
    case 'text':
      return typeof value === 'string' ? ILike(`%${escapeLike(value)}%`) : undefined;
    case 'words': {
      const words = typeof value === 'string' ? wordsOf(value) : [];
      if (words.length === 0) return undefined;
      const parameters = Object.fromEntries(words.map((word, i) => [`word${i}`, `%${escapeLike(word)}%`]));
      return Raw((column) => words.map((_, i) => `${column} ILIKE :word${i}`).join(' AND '), parameters);
    }
    case 'uuid':
      return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
    case 'enum':
      return typeof value === 'string' && rule.values.includes(value) ? value : undefined;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'range': {
      const { from, to } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      const [start, end] = [date(from), date(to)];
      if (start && end) return Between(start, end);
      if (start) return MoreThanOrEqual(start);
      if (end) return LessThanOrEqual(end);
      return undefined;
    }
    case 'isSet':
      return value === 'true' ? Not(IsNull()) : value === 'false' ? IsNull() : undefined;
  }
}

/** A refusal AdminJS reports as such: see asValidationError. */
function refused(message: string): ValidationError {
  const refusal = { message, type: 'refused' };
  return new ValidationError({ refused: refusal }, refusal);
}

/** A refusal from the API's services, shown to the operator as a message on the form. */
function asValidationError(error: unknown): unknown {
  if (error instanceof ValidationProblem) {
    return new ValidationError(
      Object.fromEntries(error.errors.map((e) => [e.field, { message: e.detail, type: 'invalid' }])),
      { message: error.errors.map((e) => e.detail).join('; '), type: 'invalid' },
    );
  }
  if (error instanceof HttpException && error.getStatus() < 500) {
    // AdminJS calls an edit valid when no property has an error, so the refusal names one that
    // no form shows; the message itself travels as the base error, which the notice shows.
    return refused(error.message);
  }
  return error;
}

type Model<T> = typeof BaseEntity & (new () => T);
/** The adapter's property class, which its package does not export by name. */
type AdapterProperty = ReturnType<Resource['property']>;

export class PanelResource<T extends ObjectLiteral> extends Resource {
  private readonly hidden: ReadonlySet<string>;

  constructor(
    private readonly entity: Model<T>,
    private readonly dataSource: DataSource,
    private readonly rules: ResourceRules<T>,
  ) {
    super(entity);
    const columns = dataSource.getMetadata(entity).columns;
    this.hidden = new Set(columns.filter((column) => !column.isSelect).map((column) => column.propertyPath));
  }

  private get repository() {
    return this.dataSource.getRepository<T>(this.entity);
  }

  override properties(): AdapterProperty[] {
    return super.properties().filter((property) => !this.hidden.has(property.path()));
  }

  override property(path: string): AdapterProperty {
    // The adapter's signature says Property; AdminJS checks for undefined (unknown paths).
    return (this.hidden.has(path) ? undefined : super.property(path)) as AdapterProperty;
  }

  /** The TypeORM `where` for AdminJS's filter, or null when nothing can match. */
  private where(filter?: Filter): FindOptionsWhere<T> | null {
    const where: ObjectLiteral = { ...this.rules.scope };
    for (const [path, element] of Object.entries(filter?.filters ?? {})) {
      const rule = this.rules.filters[path];
      if (!rule) continue; // not filterable: ignored, whatever it names
      const matched = condition(rule, element.value);
      if (matched === undefined) return null;
      where[rule.kind === 'isSet' ? rule.column : path] = matched;
    }
    const values = Object.fromEntries(Object.entries(filter?.filters ?? {}).map(([path, e]) => [path, e.value]));
    this.rules.refine?.(where, values);
    return where as FindOptionsWhere<T>;
  }

  /** The entity as the panel shows it: its columns, the flags of `isSet` filters, the virtual values. */
  private shown(entity: T): Record<string, unknown> {
    const flags = Object.entries(this.rules.filters).flatMap(([path, rule]): [string, boolean][] =>
      rule.kind === 'isSet' ? [[path, entity[rule.column] !== null]] : [],
    );
    return { ...entity, ...Object.fromEntries(flags), ...this.rules.virtual?.(entity) };
  }

  /** Records of these entities, annotated (`annotate`) in one go. */
  private async records(entities: readonly T[]): Promise<BaseRecord[]> {
    const notes: ReadonlyMap<string, Record<string, unknown>> = entities.length > 0 && this.rules.annotate
      ? await this.rules.annotate(entities)
      : new Map();
    return entities.map((entity) => new BaseRecord({ ...this.shown(entity), ...notes.get(String(entity.id)) }, this));
  }

  override async count(filter: Filter): Promise<number> {
    const where = this.where(filter);
    return where === null ? 0 : this.repository.countBy(where);
  }

  override async find(
    filter: Filter,
    params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
  ): Promise<BaseRecord[]> {
    const where = this.where(filter);
    if (where === null) return [];
    const sortBy = params.sort?.sortBy;
    const order = sortBy && this.rules.sortable.includes(sortBy) ? sortBy : 'createdAt';
    const entities = await this.repository.find({
      where,
      take: Math.min(params.limit ?? 10, 500),
      skip: params.offset ?? 0,
      order: { [order]: params.sort?.direction === 'asc' ? 'ASC' : 'DESC', id: 'DESC' } as never,
    });
    return this.records(entities);
  }

  /**
   * The ids of the rows the filter matches, in id order after `after`: a walk over every page of
   * a filter (the "all matching" actions) that neither skips nor repeats a row when rows come
   * or go meanwhile.
   */
  async idsMatching(filter: Filter, after: string | null, limit: number): Promise<string[]> {
    const where = this.where(filter) as ObjectLiteral | null;
    if (where === null) return [];
    if (after !== null) {
      if (!UUID.test(after)) return [];
      where.id = MoreThan(after.toLowerCase());
    }
    const rows = await this.repository.find({
      where: where as FindOptionsWhere<T>,
      select: { id: true } as never,
      take: limit,
      order: { id: 'ASC' } as never,
    });
    return rows.map((row) => String(row.id));
  }

  override async findOne(id: string | number): Promise<BaseRecord | null> {
    if (typeof id !== 'string' || !UUID.test(id)) return null;
    const entity = await this.repository.findOneBy({ id } as unknown as FindOptionsWhere<T>);
    return entity ? ((await this.records([entity]))[0] ?? null) : null;
  }

  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const valid = ids.filter((id): id is string => typeof id === 'string' && UUID.test(id));
    if (valid.length === 0) return [];
    const entities = await this.repository.findBy({ id: In(valid) } as unknown as FindOptionsWhere<T>);
    return this.records(entities);
  }

  override create(): Promise<never> {
    return Promise.reject(refused('Records are not created from the panel.'));
  }

  override async update(id: string | number, params: Record<string, unknown> = {}, context?: ActionContext) {
    const update = this.rules.writer?.update;
    if (!update) throw refused('These records are read-only.');
    try {
      await update(String(id), params, actorOf(context));
    } catch (error) {
      throw asValidationError(error);
    }
    const entity = await this.repository.findOneByOrFail({ id } as unknown as FindOptionsWhere<T>);
    return this.shown(entity);
  }

  override async delete(id: string | number, context?: ActionContext): Promise<void> {
    const remove = this.rules.writer?.delete;
    if (!remove) throw refused('These records cannot be deleted.');
    try {
      await remove(String(id), actorOf(context));
    } catch (error) {
      throw asValidationError(error);
    }
  }
}

/**
 * A resource and its AdminJS options, with what its filters imply: the properties the filter
 * drawer offers (in the filters' order), the choices of an enum, and the type of an `isSet`
 * flag. `options` names the rest; a property option it sets wins over a derived one.
 */
export function panelResource<T extends ObjectLiteral>(
  entity: Model<T>,
  dataSource: DataSource,
  rules: ResourceRules<T>,
  options: Omit<ResourceOptions, 'filterProperties'>,
): ResourceWithOptions {
  const derived = Object.entries(rules.filters).flatMap(([path, rule]): [string, PropertyOptions][] => {
    if (rule.kind === 'enum')
      return [[path, { availableValues: rule.values.map((value) => ({ value, label: value })) }]];
    if (rule.kind === 'isSet') return [[path, { type: 'boolean' }]];
    return [];
  });
  const properties: Record<string, PropertyOptions> = { ...options.properties };
  for (const [path, property] of derived) properties[path] = { ...property, ...properties[path] };
  return {
    resource: new PanelResource(entity, dataSource, rules),
    options: { ...options, filterProperties: Object.keys(rules.filters), properties },
  };
}

/** The signed-in operator's account id; every change is made and audited in their name. */
export function actorOf(context?: Pick<ActionContext, 'currentAdmin'>): string {
  const id = context?.currentAdmin?.id;
  if (typeof id !== 'string') throw new Error('no operator in the action context');
  return id;
}
