// Calls a MetaModel gateway with the official openai client and prints one JSON line per check.
// Usage: node client.mjs BASE_URL API_KEY   (BASE_URL ends in /v1)
import OpenAI from "openai";

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const print = (check, value) => console.log(JSON.stringify({ check, ...value }));

const completion = await client.chat.completions.create({
  model: "metamodel",
  messages: [{ role: "user", content: "Say hello." }],
});
print("complete", {
  text: completion.choices[0].message.content,
  finish: completion.choices[0].finish_reason,
  totalTokens: completion.usage?.total_tokens ?? null,
});

const stream = await client.chat.completions.create({
  model: "metamodel",
  messages: [{ role: "user", content: "Say hello." }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = "";
let finish = null;
let usage = null;
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  text += chunk.choices[0]?.delta?.content ?? "";
  finish = chunk.choices[0]?.finish_reason ?? finish;
  usage = chunk.usage ?? usage;
}
print("stream", { text, finish, chunks, promptTokens: usage?.prompt_tokens ?? null });

const models = await client.models.list();
print("models", { ids: models.data.map((m) => m.id) });

try {
  await client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
  print("missing-model", { status: null });
} catch (error) {
  print("missing-model", { status: error.status, code: error.code ?? null, type: error.type ?? null });
}
