using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Testing;

namespace Lepton.Extender.Tests.Http;

/// <summary>
/// DECISIONS.md 6 under fire: a flood of malformed requests (random bytes, truncated and mangled
/// JSON, wrong types, oversized bodies, odd content types) gets 400/413 or a protocol answer,
/// never 500, and the server keeps serving correct requests.
/// </summary>
public sealed class MalformedRequestFloodTests
{
    private const int Requests = 1200;
    private static readonly string[] Verbs = ["/filter", "/prioritize", "/bind", "/preempt"];
    private static readonly string[] ContentTypes = ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/octet-stream", "application/json; charset=latin1"];

    [Fact]
    public async Task Post_ThousandMalformedRequests_NeverServerErrorAndStillServes()
    {
        await using var sut = await ExtenderTestServer.StartAsync(o => o.MaxRequestBytes = 64 * 1024, Make.GpuNode("n1"), Make.GpuNode("n2", cards: 2), Make.CpuNode("c1"));
        var random = new Random(20261120);
        var valid = TestSupport.Requests.NodeNames(Make.PodJson("p").Share(400), "n1", "n2", "c1");
        var bodies = Enumerable.Range(0, Requests).Select(i => (Verb: Verbs[i % Verbs.Length], Body: Mangle(valid, random, i), Type: ContentTypes[random.Next(ContentTypes.Length)])).ToList();
        var statuses = new Dictionary<int, int>();

        foreach (var batch in bodies.Chunk(16))
        {
            var results = await Task.WhenAll(batch.Select(b => SendAsync(sut, b.Verb, b.Body, b.Type)));
            foreach (var (status, body, verb) in results)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status is 200 or 400 or 413, $"{verb}: status {status}: {body}");
                if (status == 200)
                {
                    using var doc = JsonDocument.Parse(body); // a protocol answer, always JSON
                }
            }
        }

        Assert.True(statuses.GetValueOrDefault(400) > Requests / 2, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault(413) > 0, string.Join(", ", statuses));
        var after = await sut.PostJsonAsync("/filter", valid);
        Assert.Equal(["n1", "n2"], after.GetProperty("NodeNames").EnumerateArray().Select(e => e.GetString()));
        var scores = await sut.PostJsonAsync("/prioritize", valid);
        Assert.Equal(["n1", "n2"], scores.EnumerateArray().Select(e => e.GetProperty("Host").GetString()).Order(StringComparer.Ordinal));
    }

    private static async Task<(int Status, string Body, string Verb)> SendAsync(ExtenderTestServer server, string verb, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await server.Client.PostAsync(verb, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), verb);
    }

    private static byte[] Mangle(string valid, Random random, int i)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        switch (i % 10)
        {
            case 0: // random bytes
                var noise = new byte[random.Next(0, 2048)];
                random.NextBytes(noise);
                return noise;
            case 1: // truncated JSON
                return bytes[..random.Next(0, bytes.Length - 1)];
            case 2: // flipped bytes
                var flipped = (byte[])bytes.Clone();
                for (var k = 0; k < 1 + random.Next(8); k++)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
            case 3: // wrong top-level types
                return Encoding.UTF8.GetBytes(Pick(random, "[]", "5", "\"x\"", "true", "{\"Pod\":5,\"NodeNames\":[\"n1\"]}", "{\"NodeNames\":{}}", "{\"Nodes\":[1]}", "{\"PodUID\":[],\"Node\":{}}", "{\"NodeNameToMetaVictims\":[]}", "{\"NodeNameToVictims\":{\"n1\":{\"Pods\":5}}}"));
            case 4: // wrong types inside the pod
                return Encoding.UTF8.GetBytes(valid
                    .Replace("\"containers\":[", "\"containers\":\"x\",\"y\":[", StringComparison.Ordinal)
                    .Replace("\"priority\":0", "\"priority\":\"high\"", StringComparison.Ordinal));
            case 5: // oversized body (limit 64 KiB)
                return Encoding.UTF8.GetBytes("{\"NodeNames\":[" + string.Join(',', Enumerable.Repeat("\"node-with-a-long-name-0000\"", 4000)) + "]}");
            case 6: // deeply nested
                return Encoding.UTF8.GetBytes("{\"Pod\":" + new string('[', 5000) + new string(']', 5000) + "}");
            case 7: // bad quantities and annotations (protocol errors, HTTP 200)
                return Encoding.UTF8.GetBytes(valid.Replace("\"400\"", Pick(random, "\"-1\"", "\"abc\"", "\"99999\""), StringComparison.Ordinal));
            case 8: // invalid UTF-8 inside a string
                var bad = (byte[])bytes.Clone();
                var at = Array.IndexOf(bad, (byte)'p', 10);
                bad[at] = 0xC3;
                return bad;
            default: // empty or whitespace
                return Encoding.UTF8.GetBytes(Pick(random, "", " ", "\n\n", "{}", "{\"Pod\":null}"));
        }
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
