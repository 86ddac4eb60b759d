// A stand-in for the OpenAI Responses API (`POST /v1/responses`, SSE streaming), enough for the
// real Codex CLI to run a built-in pipeline against it on 127.0.0.1 as a custom model provider:
// text answers, one shell tool call that writes a file, usage figures, a 401 for a wrong key.
// What it answers comes from an AgentScript; every request is recorded for the test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, readJson } from './http';
import type { StandIn } from './anthropicStandIn';
import type { AgentScript} from './script';
import { type Turn } from './script';

export const OPENAI_GOOD_KEY = 'sk-openai-test-standin';

interface InputItem {
  type?: string;
  role?: string;
  content?: string | { type: string; text?: string }[];
}

const itemTexts = (i: InputItem): string[] =>
  typeof i.content === 'string' ? [i.content] : (i.content ?? []).filter((c) => typeof c.text === 'string').map((c) => c.text!);

export async function startOpenAIStandIn(script: AgentScript, o: { key?: string } = {}): Promise<StandIn & { tools: () => string[] }> {
  const key = o.key ?? OPENAI_GOOD_KEY;
  const requests: StandIn['requests'] = [];
  let n = 0;
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    void readJson(req).then(async (body) => {
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ path, body });
      for (const w of waiters.splice(0)) w();
      if (req.headers.authorization !== `Bearer ${key}`) {
        return json(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      if (req.method !== 'POST' || !path.endsWith('/responses')) return json(res, 404, { error: { message: `no ${path}`, type: 'not_found' } });
      const b = body as { input?: InputItem[]; model?: string; tools?: { name?: string; type?: string }[] };
      const input = b.input ?? [];
      const last = input[input.length - 1];
      const afterTool = last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output';
      const prompt = input.filter((i) => i.role === 'user').flatMap(itemTexts).join('\n');
      const turn = script.turn(prompt, afterTool);
      if (turn.holdMs) await new Promise((r) => setTimeout(r, turn.holdMs));
      n += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of responseEvents(turn, `resp_${n}`, b.model ?? 'standin', JSON.stringify(input).length, toolNames(b.tools))) {
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    nextRequest: () => new Promise<void>((r) => waiters.push(r)),
    tools: () => toolNames((requests.find((r) => Array.isArray((r.body as { tools?: unknown })?.tools))?.body as { tools?: { name?: string }[] })?.tools),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function toolNames(tools: { name?: string; type?: string }[] | undefined): string[] {
  return (tools ?? []).map((t) => t.name ?? t.type ?? '?');
}

type SseEvent = { type: string } & Record<string, unknown>;

function responseEvents(turn: Turn, id: string, model: string, promptChars: number, tools: string[]): SseEvent[] {
  const out: SseEvent[] = [{ type: 'response.created', response: { id, object: 'response', model, status: 'in_progress', output: [] } }];
  const msgId = `msg_${id}`;
  out.push({ type: 'response.output_item.added', output_index: 0, item: { id: msgId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
  for (const part of turn.text.match(/[\s\S]{1,24}/g) ?? ['']) {
    out.push({ type: 'response.output_text.delta', item_id: msgId, output_index: 0, content_index: 0, delta: part });
  }
  const message = { id: msgId, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.text, annotations: [] }] };
  out.push({ type: 'response.output_item.done', output_index: 0, item: message });
  const output: unknown[] = [message];
  if (turn.writeFile) {
    const call = shellCall(turn.writeFile, tools, `call_${id}`);
    out.push({ type: 'response.output_item.added', output_index: 1, item: call });
    out.push({ type: 'response.output_item.done', output_index: 1, item: call });
    output.push(call);
  }
  const inputTokens = 100 + Math.ceil(promptChars / 4);
  const outputTokens = 10 + Math.ceil(turn.text.length / 4);
  out.push({
    type: 'response.completed',
    response: {
      id,
      object: 'response',
      model,
      status: 'completed',
      output,
      usage: {
        input_tokens: inputTokens,
        input_tokens_details: { cached_tokens: 50 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: inputTokens + outputTokens,
      },
    },
  });
  return out;
}

/** A function call of the CLI's shell tool that writes the file (the tool name differs between versions). */
function shellCall(file: { path: string; content: string }, tools: string[], callId: string): Record<string, unknown> {
  const script = `printf '%s' '${file.content.replaceAll("'", "'\\''")}' > '${file.path}'`;
  const name = ['shell_command', 'exec_command', 'shell'].find((t) => tools.includes(t)) ?? 'shell';
  const args =
    name === 'shell' ? { command: ['bash', '-lc', script] } : name === 'exec_command' ? { cmd: script } : { command: script };
  return { id: `fc_${callId}`, type: 'function_call', status: 'completed', call_id: callId, name, arguments: JSON.stringify(args) };
}
