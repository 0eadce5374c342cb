using System.Buffers;
using System.Text;
using System.Text.Json;

namespace MetaModel.ScriptedServer;

/// <summary>Writes chat-completion bodies and stream chunks in the OpenAI wire format.</summary>
internal static class CompletionJson
{
    private const long Created = 1_767_225_600;

    public static byte[] Whole(ScriptedRequest request, ScriptedReply reply)
    {
        return Write(request, "chat.completion", writer =>
        {
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (reply.ToolCalls.Count > 0)
            {
                writer.WriteNull("content");
                WriteToolCalls(writer, reply.ToolCalls, startIndex: 0);
            }
            else
            {
                writer.WriteString("content", reply.Text);
            }

            writer.WriteEndObject();
            WriteFinish(writer, reply.FinishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer, reply);
        });
    }

    public static string RoleChunk(ScriptedRequest request) => Chunk(request, writer =>
    {
        writer.WriteString("role", "assistant");
        writer.WriteString("content", "");
    });

    public static string TextChunk(ScriptedRequest request, string text) =>
        Chunk(request, writer => writer.WriteString("content", text));

    public static string ToolCallChunk(ScriptedRequest request, ScriptedToolCall call, int index) =>
        Chunk(request, writer => WriteToolCalls(writer, [call], index));

    public static string FinishChunk(ScriptedRequest request, string finishReason) =>
        Chunk(request, _ => { }, finishReason);

    public static string UsageChunk(ScriptedRequest request, ScriptedReply reply) =>
        Encoding.UTF8.GetString(Write(request, "chat.completion.chunk", writer =>
        {
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            WriteUsage(writer, reply);
        }));

    private static string Chunk(ScriptedRequest request, Action<Utf8JsonWriter> writeDelta, string? finishReason = null) =>
        Encoding.UTF8.GetString(Write(request, "chat.completion.chunk", writer =>
        {
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer);
            writer.WriteEndObject();
            WriteFinish(writer, finishReason);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }));

    private static byte[] Write(ScriptedRequest request, string kind, Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", "chatcmpl-" + request.Sequence);
            writer.WriteString("object", kind);
            writer.WriteNumber("created", Created);
            writer.WriteString("model", request.Model);
            writeBody(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteFinish(Utf8JsonWriter writer, string? finishReason)
    {
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<ScriptedToolCall> calls, int startIndex)
    {
        writer.WriteStartArray("tool_calls");
        for (int i = 0; i < calls.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", startIndex + i);
            writer.WriteString("id", calls[i].Id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", calls[i].Name);
            writer.WriteString("arguments", calls[i].ArgumentsJson);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter writer, ScriptedReply reply)
    {
        int completion =
            reply.CompletionTokens ?? (reply.ToolCalls.Count > 0 ? reply.ToolCalls.Count * 8 : reply.Text.Split(' ').Length);
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", reply.PromptTokens);
        writer.WriteNumber("completion_tokens", completion);
        writer.WriteNumber("total_tokens", reply.PromptTokens + completion);
        writer.WriteEndObject();
    }
}
