using System.Text.Json;
using System.Text.Json.Serialization;
using PneumoniaPortal.Core;

namespace PneumoniaPortal.Web;

/// <summary>
/// Enums in API and hub JSON: written as their names, read only from a defined name (any case). A number, a numeric
/// string or a comma-separated list is refused with the names to use; <see cref="JsonStringEnumConverter"/> refuses
/// numbers but still reads "Auc, F1" as a third value.
/// </summary>
public sealed class NamedEnumJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type type) => type.IsEnum;

    public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Named<>).MakeGenericType(type))!;

    sealed class Named<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type type, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (EnumNames.TryParse<T>(text, out var value)) return value;
            // The message quotes what was sent: '7' for a number, as a person wrote it.
            var sent = reader.TokenType switch
            {
                JsonTokenType.String => text,
                JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(
                    reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
                _ => $"{reader.TokenType.ToString().ToLowerInvariant()} value",
            };
            throw new JsonException(EnumNames.Problem<T>(sent, typeof(T).Name));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
