using System.Buffers;
using System.Text.Json;
using Lepton.Extender;
using Lepton.Extender.Http;
using Lepton.Extender.Verbs;
using Lepton.Kubernetes.Wire;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// The baseline: parses the same request with the same wire types and the same one-pass reader
/// (source-generated, raw Nodes, interned node names), then answers without looking at the pod
/// or the cluster: every node passes, every node scores 5, written by the same writers. What is
/// left of Lepton's time above it is the scheduling work.
/// </summary>
public static class NullExtender
{
    private static readonly ExtenderJsonContext Json = ExtenderJsonContext.CreateInterning();

    /// <summary>Answers one request.</summary>
    /// <param name="verb">Filter or prioritize.</param>
    /// <param name="body">The request body.</param>
    /// <returns>The reply.</returns>
    public static ExtenderReply Process(ExtenderVerb verb, ReadOnlySequence<byte> body)
    {
        var args = ExtenderBody.Deserialize(body, Json.ExtenderArgs)!;
        var names = LeptonExtender.CandidateNames(args);
        if (verb == ExtenderVerb.Filter)
        {
            return ExtenderReply.Json(
                new ExtenderFilterResult
                {
                    NodeNames = args.NodeNames is null ? null : [.. names],
                    Nodes = args.NodeNames is null ? args.Nodes : null,
                    FailedNodes = new Dictionary<string, string>(),
                    FailedAndUnresolvableNodes = new Dictionary<string, string>(),
                },
                "ok");
        }

        var scores = new long[names.Count];
        Array.Fill(scores, 5);
        return ExtenderReply.Json(new HostScores(names, scores), "ok");
    }
}
