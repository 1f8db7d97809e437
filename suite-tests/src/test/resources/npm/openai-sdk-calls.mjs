// Driven by ResponsesApiTest: the official npm `openai` SDK against the gateway, as a researcher's script would
// call it. Prints one JSON object with what each call returned; the Java test checks it against the ledger.
import OpenAI from 'openai';

const env = process.env;
const client = new OpenAI({ baseURL: env.BASE_URL, apiKey: env.API_KEY, maxRetries: 0, timeout: 30000 });
const out = { notFound: [] };

for (const [name, model] of [['native', env.MODEL_NATIVE], ['translated', env.MODEL_TRANSLATED]]) {
  const plain = await client.responses
    .create({ model, input: 'tell me about audits', instructions: 'be brief', max_output_tokens: 30 })
    .withResponse();
  out[name + 'Plain'] = {
    requestId: plain.response.headers.get('x-request-id'),
    text: plain.data.output_text,
    status: plain.data.status,
    usage: plain.data.usage,
  };
  const streamed = await client.responses
    .create({ model, input: 'stream about audits', max_output_tokens: 30, stream: true })
    .withResponse();
  let text = '';
  let usage = null;
  const types = [];
  for await (const event of streamed.data) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') usage = event.response.usage;
  }
  out[name + 'Stream'] = {
    requestId: streamed.response.headers.get('x-request-id'),
    text,
    usage,
    first: types[0],
    last: types[types.length - 1],
  };
}

out.retrieved = (await client.models.retrieve(env.MODEL_TRANSLATED)).id;
for (const id of [env.MODEL_UNGRANTED, 'no-such-model-anywhere']) {
  try {
    await client.models.retrieve(id);
    out.notFound.push({ id, status: 200 });
  } catch (e) {
    out.notFound.push({ id, status: e.status, code: e.code, message: e.message });
  }
}

const reasoning = await client.chat.completions
  .create({ model: env.MODEL_REASONING, messages: [{ role: 'user', content: 'think briefly' }], max_completion_tokens: 5 })
  .withResponse();
out.reasoning = { requestId: reasoning.response.headers.get('x-request-id'), usage: reasoning.data.usage };

try {
  await client.responses.create({ model: env.MODEL_TRANSLATED, input: 'keep this', store: true });
  out.store = { status: 200 };
} catch (e) {
  out.store = { status: e.status, param: e.param, message: e.message };
}

console.log(JSON.stringify(out));
