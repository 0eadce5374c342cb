using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MetaModel.Gateway.Wire;

namespace MetaModel.Gateway;

/// <summary>Turns a <see cref="JsonException"/> from reading a request body into OpenAI's error body.</summary>
/// <remarks>
/// A syntax error keeps the reader's message, with its line and byte position. A value of the wrong JSON type gets a
/// message naming the field and what it must be, such as <c>'temperature' must be a number</c>, with the field as
/// <c>param</c>; the serializer's message is never passed on, since it names .NET types.
/// </remarks>
internal static class RequestJsonError
{
    /// <summary>Maps a failure to read the body of a chat completion request.</summary>
    /// <param name="error">The serializer's exception.</param>
    /// <returns>A 400 <c>invalid_json</c> error.</returns>
    public static GatewayError From(JsonException error)
    {
        // The serializer wraps the reader's own exception (a JsonException too) when the text is not JSON; a value
        // that is JSON but of the wrong type has no such cause.
        if (error.InnerException is JsonException)
        {
            return GatewayError.InvalidJson(error.Message);
        }

        string? param = Param(error.Path);
        string? expected = param is null ? null : Expected(error.Path!);
        string message = (param, expected) switch
        {
            ({ } field, { } what) => $"'{field}' must be {what}.",
            ({ } field, null) => $"'{field}' has a value of the wrong type.",
            _ => "A field of the request body has a value of the wrong type.",
        };
        return GatewayError.Invalid(message, param, "invalid_json");
    }

    /// <summary>Turns a JSON path such as <c>$.messages[0].role</c> into a parameter name: <c>messages[0].role</c>.</summary>
    private static string? Param(string? path) =>
        path is null || !path.StartsWith('$') || path.Length < 2 ? null : path[1] == '.' ? path[2..] : path[1..];

    /// <summary>Says what the value at <paramref name="path"/> must be, from the request's JSON metadata.</summary>
    /// <returns>Words such as "a number"; <see langword="null"/> when the path leads to no known field.</returns>
    private static string? Expected(string path)
    {
        Type type = typeof(ChatCompletionRequest);
        foreach (Segment segment in Segments(path))
        {
            if (Info(type) is not { } info)
            {
                return null;
            }

            Type? next = (segment.Index, info.Kind) switch
            {
                (true, JsonTypeInfoKind.Enumerable) => info.ElementType,
                (false, JsonTypeInfoKind.Dictionary) => info.ElementType,
                (false, JsonTypeInfoKind.Object) =>
                    info.Properties.FirstOrDefault(p => p.Name == segment.Name)?.PropertyType,
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            type = next;
        }

        return Describe(type, plural: false);
    }

    private static JsonTypeInfo? Info(Type type) =>
        GatewayJsonContext.Default.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>Names what a value of <paramref name="type"/> is in JSON, such as "a number" or "message objects".</summary>
    private static string Describe(Type type, bool plural)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return plural ? "strings" : "a string";
        }

        if (type == typeof(bool))
        {
            return plural ? "booleans" : "a boolean";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return plural ? "integers" : "an integer";
        }

        if (type == typeof(float) || type == typeof(double) || type == typeof(decimal))
        {
            return plural ? "numbers" : "a number";
        }

        JsonTypeInfo? info = Info(type);
        return info?.Kind switch
        {
            JsonTypeInfoKind.Enumerable when info.ElementType is { } element => $"an array of {Describe(element, true)}",
            JsonTypeInfoKind.Dictionary when info.ElementType is { } value =>
                $"an object whose values are {Describe(value, true)}",
            _ when type == typeof(WireMessage) => plural ? "message objects" : "a message object",
            _ => plural ? "objects" : "an object",
        };
    }

    /// <summary>Splits a path such as <c>$.messages[0]['a.b']</c> into its property names and indexes.</summary>
    private static List<Segment> Segments(string path)
    {
        var segments = new List<Segment>();
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], Index: false));
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                // A quoted name, in which the serializer writes a quote as \'.
                var name = new StringBuilder();
                int j = i + 2;
                while (j < path.Length && path[j] != '\'')
                {
                    if (path[j] == '\\' && j + 1 < path.Length)
                    {
                        j++;
                    }

                    name.Append(path[j++]);
                }

                segments.Add(new Segment(name.ToString(), Index: false));
                i = j + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], Index: true));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    private readonly record struct Segment(string Name, bool Index);
}
