using System.Text.Json.Nodes;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>CustomResourceDefinitions used by the tests.</summary>
internal static class TestCrds
{
    public const string Group = "lepton.ai";
    public const string Version = "v1alpha1";
    public const string Plural = "leptonjobs";

    /// <summary>A LeptonJob CRD shaped like Lepton's: status subresource, short name <c>lj</c>, printer columns.</summary>
    public static JsonObject LeptonJob() => (JsonObject)JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "leptonjobs.lepton.ai" },
          "spec": {
            "group": "lepton.ai",
            "scope": "Namespaced",
            "names": { "plural": "leptonjobs", "singular": "leptonjob", "kind": "LeptonJob", "listKind": "LeptonJobList", "shortNames": ["lj"], "categories": ["lepton"] },
            "versions": [{
              "name": "v1alpha1",
              "served": true,
              "storage": true,
              "schema": { "openAPIV3Schema": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } },
              "subresources": { "status": {} },
              "additionalPrinterColumns": [
                { "name": "Phase", "type": "string", "jsonPath": ".status.phase" },
                { "name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas" },
                { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status", "priority": 1 },
                { "name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp" }
              ]
            }]
          }
        }
        """)!;

    public static JsonObject Job(string name, int replicas = 2, string ns = "default") => new()
    {
        ["apiVersion"] = "lepton.ai/v1alpha1",
        ["kind"] = "LeptonJob",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["gpusPerReplica"] = 1 },
    };
}
