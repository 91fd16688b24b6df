/** express-formidable ships no types; the panel only mounts its middleware (AdminJS reads req.fields). */
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';

  interface Options {
    maxFileSize?: number;
    maxFieldsSize?: number;
    maxFields?: number;
    multiples?: boolean;
  }
  export default function formidable(options?: Options): RequestHandler;
}
