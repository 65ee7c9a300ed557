using System.Text.Json;

namespace Ingest.Routing;

/// <summary>
/// The top-level keys that are not event fields: the combined-stream wrapper (<c>stream</c>, <c>data</c>)
/// and control replies (<c>result</c>, <c>error</c>, <c>code</c>/<c>msg</c>, <c>id</c>). Collected in any
/// order because JSON objects are unordered and nothing guarantees <c>stream</c> comes first.
/// </summary>
internal struct EnvelopeScan
{
    public bool HasStream;
    public Range Stream;
    public bool HasData;
    public Range Data;
    public bool HasResult;
    public bool HasError;
    public bool HasCode;
    public bool HasMessage;
    public long RequestId;

    public EnvelopeScan()
    {
        RequestId = FrameRoute.Absent;
    }

    /// <summary>Takes the property if it belongs to the envelope (scanning <c>data</c> into <paramref name="inner"/>); false leaves it to the event scan.</summary>
    public bool Accept(scoped ReadOnlySpan<byte> name, ref Utf8JsonReader reader, ref EventFieldScan inner, scoped Span<byte> nameBuffer)
    {
        switch (name.Length)
        {
            case 2 when name.SequenceEqual("id"u8):
                RequestId = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var id) ? id : FrameRoute.Absent;
                reader.Skip();
                return true;
            case 3 when name.SequenceEqual("msg"u8):
                HasMessage = true;
                reader.Skip();
                return true;
            case 4 when name.SequenceEqual("code"u8):
                HasCode = true;
                reader.Skip();
                return true;
            case 4 when name.SequenceEqual("data"u8):
                HasData = true;
                var start = checked((int)reader.TokenStartIndex);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    inner.ScanObject(ref reader, nameBuffer);
                }
                else
                {
                    reader.Skip();
                }

                Data = new Range(start, checked((int)reader.BytesConsumed));
                return true;
            case 5 when name.SequenceEqual("error"u8):
                HasError = true;
                reader.Skip();
                return true;
            case 6 when name.SequenceEqual("stream"u8):
                if (reader.TokenType == JsonTokenType.String)
                {
                    HasStream = true;
                    Stream = JsonNames.ContentRange(ref reader);
                }
                else
                {
                    reader.Skip();
                }

                return true;
            case 6 when name.SequenceEqual("result"u8):
                HasResult = true;
                reader.Skip();
                return true;
            default:
                return false;
        }
    }
}
