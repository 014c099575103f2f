/**
 * The local dashboard: a small read-only HTTP server (node:http) over the local lake. It serves the
 * page and a JSON API whose only input is the filters' values, checked and bound as parameters of
 * the catalogue's named queries; no SQL is ever built from a request.
 *
 *   GET /                 the page
 *   GET /api/dashboard    the definition's sheet, visuals and filters, with the filters' choices
 *   GET /api/data?...     every visual's data for start_date, end_date, continent, country
 *   GET /api/world        the world map (GeoJSON)
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { readBundledLocations } from '../model/locations';
import { loadCatalogue } from '../queries/catalogue';
import { DEFAULT_LAKE_DIR, localLake, type Lake } from '../store/lake';
import type { DashboardDescription, ErrorResponse } from './api-types';
import { buildPageAssets } from './assets';
import { checkDefinition } from './check-definition';
import { choiceLists } from './choices';
import { DashboardData } from './dashboard-data';
import type { OpenDatasetEngine } from './dataset-engine';
import { duckdbDatasets } from './duckdb-datasets';
import { describeQueries } from './dataset-columns';
import { DASHBOARD } from './definition';
import { parseFilterRequest } from './filter-request';
import { hostProblem } from './host-header';
import { quoteInput } from './quote-input';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

export interface DashboardServerOptions {
  /** The lake to read; defaults to the folder `storeDir`. */
  readonly lake?: Lake;
  /** Folder of a local lake (default `.lake`); ignored when `lake` is given. */
  readonly storeDir?: string;
  /** The engine that answers the datasets; default DuckDB over the lake (`lake` or `storeDir`). */
  readonly datasets?: OpenDatasetEngine;
  /** TCP port (default 8080); 0 picks a free one. */
  readonly port?: number;
  readonly host?: string;
}

export interface DashboardServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};

function send(response: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...headers });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), { 'Cache-Control': 'no-store' });
}

function sendError(response: ServerResponse, status: number, error: string, problems?: readonly string[]): void {
  const body: ErrorResponse = problems ? { error, problems } : { error };
  sendJson(response, status, body);
}

function openLakeOf(options: DashboardServerOptions): Lake {
  if (options.lake) return options.lake;
  const dir = resolve(options.storeDir ?? DEFAULT_LAKE_DIR);
  if (!existsSync(dir)) {
    throw new Error(`no local lake at ${dir}: run "npm run local" to create one, or give --store <folder of a lake>`);
  }
  return localLake(dir);
}

/** Starts the dashboard server; resolves once it listens. */
export async function startDashboardServer(options: DashboardServerOptions = {}): Promise<DashboardServer> {
  const openEngine = options.datasets ?? duckdbDatasets(openLakeOf(options));
  const queries = loadCatalogue();
  const problems = checkDefinition(DASHBOARD, queries, await describeQueries(queries));
  if (problems.length > 0) throw new Error(`the dashboard definition (dashboard/definition.ts) has problems:\n  - ${problems.join('\n  - ')}`);

  const [data, assets] = await Promise.all([DashboardData.open(openEngine, DASHBOARD, queries), buildPageAssets()]);
  const locations = readBundledLocations();
  const choices = choiceLists(locations);
  const description: DashboardDescription = {
    title: DASHBOARD.title,
    debug: process.env.DASHBOARD_DEBUG !== undefined,
    filters: DASHBOARD.filters,
    visuals: DASHBOARD.visuals,
    sheets: DASHBOARD.sheets,
    choices,
    countryNumericCodes: Object.fromEntries(
      locations.flatMap((location) => (location.isoAlpha2 !== null && location.isoNumeric !== null ? [[location.isoAlpha2, location.isoNumeric]] : [])),
    ),
  };
  const descriptionJson = JSON.stringify(description);
  const host = options.host ?? DEFAULT_HOST;
  let pageUrl = '';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const refusedHost = hostProblem(request.headers.host, host, pageUrl);
    if (refusedHost) {
      sendError(response, 403, refusedHost);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 405, `${request.method ?? 'this method'} is not allowed: the dashboard is read-only; use GET`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://dashboard.local');
    switch (url.pathname) {
      case '/': {
        // The page asks for its data once its script and map have loaded: start the queries now.
        const filters = parseFilterRequest(DASHBOARD, url.searchParams, choices);
        if ('parameters' in filters) data.prefetch(filters.parameters);
        send(response, 200, 'text/html; charset=utf-8', assets.html);
        return;
      }
      case '/assets/dashboard.js':
        send(response, 200, 'text/javascript; charset=utf-8', assets.script);
        return;
      case '/assets/dashboard.css':
        send(response, 200, 'text/css; charset=utf-8', assets.stylesheet);
        return;
      case '/api/world':
        send(response, 200, 'application/json; charset=utf-8', assets.world);
        return;
      case '/api/dashboard':
        send(response, 200, 'application/json; charset=utf-8', descriptionJson, { 'Cache-Control': 'no-store' });
        return;
      case '/api/data': {
        const filters = parseFilterRequest(DASHBOARD, url.searchParams, choices);
        if ('problems' in filters) {
          sendError(response, 400, filters.problems.join('; '), filters.problems);
          return;
        }
        // The page drops a request when a newer filter value supersedes it: stop its queries too.
        const abandoned = new AbortController();
        response.on('close', () => {
          if (!response.writableFinished) abandoned.abort();
        });
        const answer = await data.answer(filters.parameters, abandoned.signal).catch((error: unknown) => {
          if (abandoned.signal.aborted) return undefined;
          throw error;
        });
        if (answer) sendJson(response, 200, answer);
        return;
      }
      default:
        sendError(response, 404, `nothing at ${quoteInput(url.pathname)}; the dashboard serves /, /api/dashboard, /api/data and /api/world`);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `the dashboard could not answer: ${error instanceof Error ? error.message : String(error)}`);
      else response.destroy();
    });
  });
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => resolveListen());
    });
  } catch (error) {
    await data.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${options.port ?? DEFAULT_PORT} is already in use; give another with --port <n> (0 picks a free one)`);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  pageUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  return {
    url: pageUrl,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      await data.close();
    },
  };
}
