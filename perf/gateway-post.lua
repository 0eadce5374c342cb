-- wrk script: the gateway's chat completion request, non-streamed (or streamed with STREAM=1 in the environment).
local stream = os.getenv("STREAM") == "1"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-perf-test-key"
if stream then
  wrk.body = '{"model":"metamodel","stream":true,"stream_options":{"include_usage":true},' ..
             '"messages":[{"role":"user","content":"What is 2 + 2? Answer in one short sentence."}]}'
else
  wrk.body = '{"model":"metamodel","messages":[{"role":"user","content":"What is 2 + 2? Answer in one short sentence."}]}'
end
