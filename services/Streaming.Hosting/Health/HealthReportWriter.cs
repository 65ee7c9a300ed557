using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Streaming.Hosting.Health;

/// <summary>
/// Writes a health report as a small JSON body, e.g.
/// <c>{"status":"Unhealthy","checks":[{"name":"readiness-gate","status":"Unhealthy","description":"waiting for: kafka-connected"}]}</c>.
/// Exception details are left out: the endpoint is unauthenticated.
/// </summary>
internal static class HealthReportWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = ContentType;
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", report.TotalDuration.TotalMilliseconds);
            json.WriteStartArray("checks");
            foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("status", entry.Status.ToString());
                if (entry.Description is not null)
                {
                    json.WriteString("description", entry.Description);
                }

                json.WriteNumber("durationMs", entry.Duration.TotalMilliseconds);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
