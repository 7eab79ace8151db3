import type { z } from 'zod';

/** A phantom carrier for a result or payload type: rows stay plain objects, types stay exact. */
export interface Returns<T> {
  readonly __type?: T;
}

export const returns = <T>(): Returns<T> => ({});

export interface MethodRow<A extends z.ZodType, R> {
  readonly args: A;
  readonly result: Returns<R>;
  readonly doc: string;
}

export interface EventRow<P> {
  readonly payload: Returns<P>;
  readonly doc: string;
}

export const method = <A extends z.ZodType, R>(args: A, result: Returns<R>, doc: string): MethodRow<A, R> => ({
  args,
  result,
  doc,
});

export const event = <P>(doc: string): EventRow<P> => ({ payload: returns<P>(), doc });
