using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Lepton.Extender.Tests.Http;

/// <summary>
/// Issue 12's acceptance fuzz test, over real Kestrel: seeded random mutations of valid requests
/// of every verb and both request modes (byte flips, truncations, invalid UTF-8, unpaired
/// surrogate escapes, JSON values of the wrong type, huge arrays, extreme numbers, deep nesting),
/// then bodies that trickle in and stop (slow clients, cut off at the deadline on the fake clock).
/// Every answer is 200, 400, 408 or 413 with a non-empty body (JSON for 200, one bounded line
/// otherwise), never a 5xx; nothing logs an Error; and the server still answers correctly after.
/// </summary>
public sealed class ExtenderFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 2_000;
    private const int SlowBodies = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4.5);
    private static readonly TimeSpan TimeBound = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task EveryVerb_RandomMutationsAndSlowBodies_Only200_400_408_413_NeverEmptyOr5xx()
    {
        var logs = new CapturingLoggerProvider();
        await using var sut = await ExtenderTestServer.StartWithServeLoggingAsync(logs);
        var pod = Make.PodJson("p").Share(400).Cpu("500m").Memory("1Gi").Priority(5);
        sut.WithPods(pod, Make.PodJson("q").Gpus(1));
        var seeds = Seeds(pod);
        var random = new Random(20261207);
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();

        var requests = Enumerable.Range(0, Mutations).Select(i =>
        {
            var (verb, valid) = seeds[i % seeds.Length];
            return (Verb: verb, Body: Mutate(valid, random, i), Chunked: random.Next(8) == 0);
        }).ToList();
        foreach (var batch in requests.Chunk(8))
        {
            var results = await Task.WhenAll(batch.Select(r => SendAsync(sut.Client, r.Verb, new ByteArrayContent(r.Body), r.Chunked)));
            foreach (var (status, body, verb) in results)
            {
                Check(statuses, status, body, verb);
            }

            Assert.True(clock.Elapsed < TimeBound, $"the fuzz run took longer than {TimeBound}");
        }

        output.WriteLine($"{Mutations} mutations in {clock.Elapsed}: {Summary(statuses)}");

        for (var i = 0; i < SlowBodies; i++)
        {
            var (verb, valid) = seeds[i % seeds.Length];
            var armed = sut.Time.TimersArmed(Deadline);
            var bytes = Encoding.UTF8.GetBytes(valid);
            using var stalled = await StalledClient.StartAsync(sut.Address, verb, bytes, cut: random.Next(1, bytes.Length), chunked: i % 2 == 0);
            await sut.Time.WhenTimersArmedAsync(Deadline, armed + 1);
            sut.Time.Advance(Deadline);
            var (status, body) = await stalled.ReadAnswerAsync();

            Assert.Equal(408, status);
            Check(statuses, status, body, verb);
        }

        output.WriteLine($"and {SlowBodies} slow bodies in {clock.Elapsed}");

        Assert.True(statuses.GetValueOrDefault(200) > Mutations / 20, Summary(statuses));
        Assert.True(statuses.GetValueOrDefault(400) > Mutations / 4, Summary(statuses));
        Assert.True(statuses.GetValueOrDefault(413) > 0, Summary(statuses));
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
        var after = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("r").Gpus(1), "n1", "c1"));
        Assert.Equal(["n1"], after.GetProperty("NodeNames").EnumerateArray().Select(e => e.GetString()));
    }

    private static (string Verb, string Body)[] Seeds(PodBuilder pod)
    {
        var fullVictims = "{\"Pod\":" + pod.ToJson() + ",\"NodeNameToVictims\":{\"n1\":{\"Pods\":[" + Make.PodJson("q").Gpus(1).ToJson() + "],\"NumPDBViolations\":1}},\"NodeNameToMetaVictims\":null}";
        return
        [
            ("/filter", Requests.NodeNames(pod, "n1", "n2", "c1", "ghost")),
            ("/filter", Requests.Nodes(pod, Requests.RawNode("n1"), Requests.RawNode("c1"), Requests.RawNode("ghost"))),
            ("/prioritize", Requests.NodeNames(pod, "n1", "n2", "c1", "ghost")),
            ("/prioritize", Requests.Nodes(pod, Requests.RawNode("n1"), Requests.RawNode("n2"))),
            ("/bind", Requests.Bind("q", "uid-q", "n2")),
            ("/preempt", Requests.PreemptMeta(pod, ("n1", ["uid-q", "uid-x"], 1), ("n2", [], 0), ("ghost", ["u"], 0))),
            ("/preempt", fullVictims),
        ];
    }

    private static void Check(Dictionary<int, int> statuses, int status, string body, string verb)
    {
        statuses[status] = statuses.GetValueOrDefault(status) + 1;
        Assert.True(status is 200 or 400 or 408 or 413, $"{verb}: status {status}: {Bounded(body)}");
        Assert.False(string.IsNullOrEmpty(body), $"{verb}: status {status} with an empty body");
        Assert.DoesNotContain('\uFFFD', body);
        if (status == 200)
        {
            using var doc = JsonDocument.Parse(body);
        }
        else
        {
            Assert.True(body.Length <= 512, $"{verb}: {status} answer of {body.Length} characters");
            Assert.Single(body.TrimEnd('\n').Split('\n'));
            Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
        }
    }

    private static string Bounded(string text) => text.Length <= 300 ? text : text[..300];

    private static string Summary(Dictionary<int, int> statuses) =>
        string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key}: {s.Value}")));

    private static async Task<(int Status, string Body, string Verb)> SendAsync(HttpClient client, string verb, HttpContent content, bool chunked)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, verb) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), verb);
    }

    private static byte[] Mutate(string valid, Random random, int i)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        switch (i % 12)
        {
            case 0: // flipped bytes
                for (var k = 0; k < 1 + random.Next(6); k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 1: // truncated
                return bytes[..random.Next(bytes.Length)];
            case 2: // invalid UTF-8 spliced in
                byte[][] invalid = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]];
                var at = random.Next(bytes.Length);
                return [.. bytes[..at], .. invalid[random.Next(invalid.Length)], .. bytes[at..]];
            case 3: // an unpaired surrogate escape after a quote
                var quotes = Enumerable.Range(0, valid.Length).Where(k => valid[k] == '"').ToArray();
                var q = quotes[random.Next(quotes.Length)] + 1;
                return Encoding.UTF8.GetBytes(valid[..q] + (random.Next(2) == 0 ? "\\uD800" : "\\udfff") + valid[q..]);
            case 4 or 5 or 6: // a JSON value of the wrong type somewhere
                return Encoding.UTF8.GetBytes(Retype(valid, random));
            case 7: // a property dropped
                return Encoding.UTF8.GetBytes(DropProperty(valid, random));
            case 8: // extreme numbers
                return Encoding.UTF8.GetBytes(valid
                    .Replace("0", Pick(random, "1e400", "-0", "99999999999999999999999", "0.5", "-1"), StringComparison.Ordinal));
            case 9: // huge arrays: 300,000 names or nodes, or a deep nest
                return (i / 12 % 4) switch
                {
                    0 => Encoding.UTF8.GetBytes("{\"NodeNames\":[" + string.Join(',', Enumerable.Range(0, 300_000).Select(k => "\"x" + k + "\"")) + "]}"),
                    1 => Encoding.UTF8.GetBytes("{\"Nodes\":{\"items\":[" + string.Join(',', Enumerable.Repeat("{}", 150_000)) + "]}}"),
                    2 => Encoding.UTF8.GetBytes("{\"NodeNameToMetaVictims\":{\"n1\":{\"Pods\":[" + string.Join(',', Enumerable.Repeat("{\"UID\":\"u\"}", 50_000)) + "]}}}"),
                    _ => Encoding.UTF8.GetBytes("{\"Pod\":" + new string('[', 10_000) + new string(']', 10_000) + "}"),
                };
            case 10: // random bytes
                var noise = new byte[random.Next(0, 4096)];
                random.NextBytes(noise);
                return noise;
            default: // duplicated keys, empty or scalar bodies
                return Encoding.UTF8.GetBytes(Pick(random, "", "{}", "[]", "null", "\"x\"", "{\"Pod\":{},\"Pod\":5}", valid[..^1] + ",\"Pod\":null}", valid + valid));
        }
    }

    private static string Retype(string valid, Random random)
    {
        var root = JsonNode.Parse(valid)!;
        var all = new List<(JsonNode Parent, string? Key, int Index)>();
        Walk(root, all);
        if (all.Count == 0)
        {
            return valid;
        }

        var (parent, key, index) = all[random.Next(all.Count)];
        JsonNode? replacement = random.Next(10) switch
        {
            0 => 5,
            1 => "x",
            2 => new JsonArray(),
            3 => new JsonObject(),
            4 => null,
            5 => true,
            6 => -1.5,
            7 => new string('y', random.Next(1, 20_000)),
            8 => new JsonArray([.. Enumerable.Range(0, 100).Select(k => (JsonNode)k)]),
            _ => new JsonObject { ["metadata"] = 7, ["items"] = "z" },
        };
        if (key is not null)
        {
            parent[key] = replacement;
        }
        else
        {
            parent[index] = replacement;
        }

        return root.ToJsonString();
    }

    private static void Walk(JsonNode? node, List<(JsonNode Parent, string? Key, int Index)> all)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    all.Add((o, key, -1));
                    Walk(child, all);
                }

                break;
            case JsonArray a:
                for (var k = 0; k < a.Count; k++)
                {
                    all.Add((a, null, k));
                    Walk(a[k], all);
                }

                break;
        }
    }

    private static string DropProperty(string valid, Random random)
    {
        var root = JsonNode.Parse(valid)!;
        var objects = new List<(JsonNode Parent, string? Key, int Index)>();
        Walk(root, objects);
        var candidates = objects.Where(o => o.Key is not null).ToList();
        if (candidates.Count == 0)
        {
            return valid;
        }

        var (parent, key, _) = candidates[random.Next(candidates.Count)];
        ((JsonObject)parent).Remove(key!);
        return root.ToJsonString();
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    /// <summary>
    /// A client that sends its headers and the first <c>cut</c> bytes of its body, then stalls, as a
    /// slow or stuck client does. A raw socket: <see cref="HttpClient"/> would not return the answer
    /// before it has sent the whole body.
    /// </summary>
    private sealed class StalledClient : IDisposable
    {
        private readonly System.Net.Sockets.TcpClient _client;

        private StalledClient(System.Net.Sockets.TcpClient client) => _client = client;

        public static async Task<StalledClient> StartAsync(Uri address, string path, byte[] body, int cut, bool chunked)
        {
            var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(address.Host, address.Port);
            var framing = chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n";
            var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\n{framing}\r\n";
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            if (chunked)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes(cut.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                await stream.WriteAsync(body.AsMemory(0, cut));
                await stream.WriteAsync("\r\n"u8.ToArray());
            }
            else
            {
                await stream.WriteAsync(body.AsMemory(0, cut));
            }

            await stream.FlushAsync();
            return new StalledClient(client);
        }

        /// <summary>Reads the status and the body (by its Content-Length) of the answer.</summary>
        public async Task<(int Status, string Body)> ReadAnswerAsync()
        {
            var stream = _client.GetStream();
            var received = new MemoryStream();
            var buffer = new byte[4096];
            while (true)
            {
                var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                    if (received.Length >= end + 4 + length)
                    {
                        var status = int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
                        return (status, Encoding.UTF8.GetString(received.GetBuffer(), end + 4, length));
                    }
                }

                var n = await stream.ReadAsync(buffer);
                if (n == 0)
                {
                    return (0, text);
                }

                received.Write(buffer, 0, n);
            }
        }

        public void Dispose() => _client.Dispose();
    }
}
