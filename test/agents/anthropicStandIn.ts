// A stand-in for the Anthropic Messages API (`POST /v1/messages`, SSE streaming), enough for the
// real Claude Code CLI to run a built-in pipeline against it on 127.0.0.1: text answers, one
// `Write` tool call, usage figures, a 401 for a wrong key. What it answers comes from an
// AgentScript; every request is recorded for the test to look at.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, readJson } from './http';
import type { AgentScript} from './script';
import { type Turn } from './script';

export const GOOD_KEY = 'sk-ant-test-standin';

export interface StandIn {
  url: string;
  requests: { path: string; body: unknown }[];
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<void>;
  close(): Promise<void>;
}

interface Block {
  type: string;
  text?: string;
  content?: unknown;
}
interface Message {
  role: 'user' | 'assistant';
  content: string | Block[];
}

const texts = (m: Message): string[] =>
  typeof m.content === 'string' ? [m.content] : m.content.filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text!);

export async function startAnthropicStandIn(script: AgentScript, o: { key?: string } = {}): Promise<StandIn> {
  const key = o.key ?? GOOD_KEY;
  const requests: StandIn['requests'] = [];
  let n = 0;
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    void readJson(req).then(async (body) => {
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ path, body });
      for (const w of waiters.splice(0)) w();
      if (req.headers['x-api-key'] !== key && req.headers.authorization !== `Bearer ${key}`) {
        return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      }
      if (req.method !== 'POST' || path !== '/v1/messages') return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: `no ${path}` } });
      const b = body as { messages?: Message[]; stream?: boolean; model?: string };
      const messages = b.messages ?? [];
      const last = messages[messages.length - 1];
      const afterTool = Array.isArray(last?.content) && last.content.some((x) => x.type === 'tool_result');
      const prompt = messages.filter((m) => m.role === 'user').flatMap(texts).join('\n');
      const turn = script.turn(prompt, afterTool);
      if (turn.holdMs) await new Promise((r) => setTimeout(r, turn.holdMs));
      n += 1;
      const events = messageEvents(turn, `msg_${n}`, b.model ?? 'claude-standin', prompt.length);
      if (b.stream === false) return json(res, 200, assembled(events));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of events) res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nextRequest: () => new Promise<void>((r) => waiters.push(r)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

type SseEvent = { type: string } & Record<string, unknown>;

/** The SSE events of one streamed message. */
function messageEvents(turn: Turn, id: string, model: string, promptChars: number): SseEvent[] {
  const inputTokens = 100 + Math.ceil(promptChars / 4);
  const out: SseEvent[] = [
    {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 1, cache_read_input_tokens: 50, cache_creation_input_tokens: 0 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ];
  // A few deltas, as a real stream sends them.
  for (const part of turn.text.match(/[\s\S]{1,24}/g) ?? ['']) out.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: part } });
  out.push({ type: 'content_block_stop', index: 0 });
  if (turn.writeFile) {
    const input = JSON.stringify({ file_path: turn.writeFile.path, content: turn.writeFile.content });
    out.push({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: `toolu_${id}`, name: 'Write', input: {} } });
    out.push({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: input } });
    out.push({ type: 'content_block_stop', index: 1 });
  }
  for (const [i, command] of (turn.bash ?? []).entries()) {
    const index = 1 + i;
    out.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `toolu_${id}_${i}`, name: 'Bash', input: {} } });
    out.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ command, description: `run ${i}` }) } });
    out.push({ type: 'content_block_stop', index });
  }
  const outputTokens = 10 + Math.ceil(turn.text.length / 4);
  const usesTool = turn.writeFile !== undefined || (turn.bash?.length ?? 0) > 0;
  out.push({ type: 'message_delta', delta: { stop_reason: usesTool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } });
  out.push({ type: 'message_stop' });
  return out;
}

/** The same message, not streamed. */
function assembled(events: SseEvent[]): unknown {
  const start = events[0]!.message as Record<string, unknown>;
  const content: Record<string, unknown>[] = [];
  for (const e of events) {
    if (e.type === 'content_block_start') content.push({ ...(e.content_block as object) });
    if (e.type === 'content_block_delta') {
      const block = content[e.index as number]!;
      const d = e.delta as { text?: string; partial_json?: string };
      if (d.text !== undefined) block.text = `${block.text as string}${d.text}`;
      if (d.partial_json !== undefined) block.input = JSON.parse(d.partial_json);
    }
  }
  const delta = events.find((e) => e.type === 'message_delta')!;
  return {
    ...start,
    content,
    stop_reason: (delta.delta as { stop_reason: string }).stop_reason,
    usage: { ...(start.usage as object), ...(delta.usage as object) },
  };
}
