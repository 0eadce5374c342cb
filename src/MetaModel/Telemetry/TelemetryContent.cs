using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MetaModel.Telemetry;

/// <summary>
/// Writes messages in the JSON shape of the GenAI conventions' <c>gen_ai.input.messages</c> and
/// <c>gen_ai.output.messages</c>: <c>[{"role":"user","parts":[{"type":"text","content":"…"}]}]</c>. Only text parts
/// are written; other content is named by its type. Used only when sensitive data is enabled.
/// </summary>
internal static class TelemetryContent
{
    public static string Messages(IEnumerable<ChatMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (ChatMessage message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role.Value);
                json.WriteStartArray("parts");
                foreach (AIContent content in message.Contents)
                {
                    json.WriteStartObject();
                    if (content is TextContent text)
                    {
                        json.WriteString("type", "text");
                        json.WriteString("content", text.Text);
                    }
                    else
                    {
                        json.WriteString("type", content.GetType().Name);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Answer(string text) => Messages([new ChatMessage(ChatRole.Assistant, text)]);
}
