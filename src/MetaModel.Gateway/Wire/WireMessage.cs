using System.Text.Json;

namespace MetaModel.Gateway.Wire;

/// <summary>One message of a request: a role and content that is a string or an array of parts.</summary>
internal sealed class WireMessage
{
    public string? Role { get; set; }

    /// <summary>Gets or sets the content: a string, an array of <c>{type, text | image_url}</c> parts, or null.</summary>
    public JsonElement? Content { get; set; }

    public string? Name { get; set; }
}
