// The AWS Step Functions API as the console calls it: AWS JSON 1.0 over POST / on the same
// origin (the console is served by `stepline serve`), no SDK, no credentials.

export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function call<T = Record<string, unknown>>(operation: string, input: object = {}): Promise<T> {
  const response = await fetch("/", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `AWSStepFunctions.${operation}`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError("InvalidResponse", text.slice(0, 200), response.status);
  }
  if (!response.ok) {
    const type = String(body.__type ?? "Error").replace(/^.*#/, "");
    const message = String(body.message ?? body.Message ?? response.statusText);
    throw new ApiError(type, message, response.status);
  }
  return body as T;
}

// Every page of a paginated list operation, up to `limit` items.
export async function callAll<T>(operation: string, input: object, key: string, limit = 2000): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call<Record<string, unknown>>(operation, { ...input, ...(nextToken ? { nextToken } : {}) });
    items.push(...((page[key] as T[]) ?? []));
    nextToken = page.nextToken as string | undefined;
  } while (nextToken && items.length < limit);
  return items;
}

// Timestamps arrive as epoch seconds (with fractions).
export function formatDate(value: unknown): string {
  if (typeof value !== "number") return "";
  const date = new Date(value * 1000);
  return date.toISOString().replace("T", " ").replace("Z", "");
}

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: number;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
}

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}
