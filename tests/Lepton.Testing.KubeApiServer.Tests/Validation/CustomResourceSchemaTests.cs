using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Tests.Support;

namespace Lepton.Testing.KubeApiServer.Tests.Validation;

/// <summary>
/// The double validates LeptonJobs against the real generated CRD (<c>crds/leptonjobs.lepton.ai.yaml</c>)
/// as kube-apiserver 1.32 does: schema keywords, CEL rules, pruning, defaulting, status writes.
/// </summary>
public sealed class CustomResourceSchemaTests
{
    private const string Group = "lepton.ai";
    private const string Version = "v1alpha1";
    private const string Plural = "leptonjobs";

    public static TheoryData<string, string, string> CelRuleViolations => new()
    {
        {
            """{"replicas": 2, "minAvailable": 3}""",
            "spec.minAvailable",
            "Invalid value: \"object\": minAvailable must not exceed replicas"
        },
        {
            // replicas defaults to 1 before the rule runs, as upstream.
            """{"minAvailable": 2}""",
            "spec.minAvailable",
            "Invalid value: \"object\": minAvailable must not exceed replicas"
        },
        {
            """{"accelerators": {"gpus": 2, "gpuMilli": 500}}""",
            "spec.accelerators.gpuMilli",
            "Invalid value: \"object\": gpuMilli is a share of one GPU: it requires gpus: 1"
        },
        {
            // gpus defaults to 0.
            """{"accelerators": {"gpuModels": ["V100M32"]}}""",
            "spec.accelerators.gpuModels",
            "Invalid value: \"object\": gpuModels requires gpus >= 1"
        },
        {
            """{"expectedDuration": "0s"}""",
            "spec.expectedDuration",
            "Invalid value: \"string\": expectedDuration must be positive"
        },
        {
            """{"maxRuntime": "0h0m"}""",
            "spec.maxRuntime",
            "Invalid value: \"string\": maxRuntime must be positive"
        },
    };

    public static TheoryData<string, string, string, string> SchemaViolations => new()
    {
        { """{"replicas": 0}""", "spec.replicas", "FieldValueInvalid", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1" },
        { """{"replicas": 10001}""", "spec.replicas", "FieldValueInvalid", "Invalid value: 10001: spec.replicas in body should be less than or equal to 10000" },
        { """{"replicas": "two"}""", "spec.replicas", "FieldValueTypeInvalid", "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"" },
        { """{"type": "Batch"}""", "spec.type", "FieldValueNotSupported", "Unsupported value: \"Batch\": supported values: \"Training\", \"Inference\"" },
        { """{"template": null}""", "spec.template", "FieldValueRequired", "Required value" },
        { """{"priorityClassName": "High"}""", "spec.priorityClassName", "FieldValueInvalid", "Invalid value: \"High\": spec.priorityClassName in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'" },
        { """{"expectedDuration": "2 hours"}""", "spec.expectedDuration", "FieldValueInvalid", "Invalid value: \"2 hours\": spec.expectedDuration in body should match '^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$'" },
        { """{"accelerators": {"gpus": 1, "gpuModels": []}}""", "spec.accelerators.gpuModels", "FieldValueInvalid", "Invalid value: 0: spec.accelerators.gpuModels in body should have at least 1 items" },
        { """{"accelerators": {"gpus": 1, "gpuModels": ["A100", "A100"]}}""", "spec.accelerators.gpuModels[1]", "FieldValueDuplicate", "Duplicate value: \"A100\"" },
        { """{"accelerators": {"fpga": {"count": 1}}}""", "spec.accelerators.fpga.resource", "FieldValueRequired", "Required value" },
        { """{"restartPolicy": "Always"}""", "spec.restartPolicy", "FieldValueNotSupported", "Unsupported value: \"Always\": supported values: \"Never\", \"OnFailure\"" },
    };

    public static TheoryData<string> Examples =>
    [
        "leptonjob-training-1gpu.yaml",
        "leptonjob-inference-fractional.yaml",
        "leptonjob-gang-4.yaml",
        "leptonjob-fpga.yaml",
    ];

    [Theory]
    [MemberData(nameof(CelRuleViolations))]
    public async Task Create_ViolatesCelRule_Is422WithTheRuleMessage(string specPatch, string field, string body)
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(client, Job("bad", specPatch)));

        AssertInvalid(status, "bad", field, "FieldValueInvalid", body);
    }

    [Theory]
    [MemberData(nameof(SchemaViolations))]
    public async Task Create_ViolatesSchema_Is422InKubeApiServersWords(string specPatch, string field, string reason, string body)
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(client, Job("bad", specPatch)));

        var causes = status["details"]!["causes"]!.AsArray();
        Assert.Contains(causes, c => (string?)c!["field"] == field && (string?)c["reason"] == reason && (string?)c["message"] == body);
        Assert.StartsWith($"LeptonJob.lepton.ai \"bad\" is invalid: ", (string?)status["message"], StringComparison.Ordinal);
        Assert.Contains($"{field}: {body}", (string?)status["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ZeroReplicas_IsExactlyTheStatusKubeApiServerSends()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => CreateAsync(client, Job("x", """{"replicas": 0}""")));

        var expected = JsonNode.Parse("""
            {
              "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": "LeptonJob.lepton.ai \"x\" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
              "reason": "Invalid",
              "details": {
                "name": "x", "group": "lepton.ai", "kind": "LeptonJob",
                "causes": [{
                  "reason": "FieldValueInvalid",
                  "message": "Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
                  "field": "spec.replicas"
                }]
              },
              "code": 422
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, status), status.ToJsonString());
    }

    [Fact]
    public async Task Create_EnumViolated_SkipsTheCelRulesAndSaysSo()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => CreateAsync(client, Job("bad", """{"type": "Batch", "replicas": 1, "minAvailable": 2}""")));

        Assert.Equal(
            "LeptonJob.lepton.ai \"bad\" is invalid: [spec.type: Unsupported value: \"Batch\": supported values: \"Training\", \"Inference\", "
            + "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            (string?)status["message"]);
    }

    [Fact]
    public async Task Update_ChangesType_FailsTheTransitionRule()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();
        await CreateAsync(client, Job("j", "{}"));

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"type":"Inference"}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "j"));

        AssertInvalid(status, "j", "spec.type", "FieldValueInvalid", "Invalid value: \"string\": type is immutable");
    }

    [Fact]
    public async Task Update_OtherFieldsChange_TransitionRuleHolds()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();
        await CreateAsync(client, Job("j", "{}"));

        var patched = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"type":"Training","replicas":3}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "j");

        Assert.Equal(3, patched.GetProperty("spec").GetProperty("replicas").GetInt32());
    }

    [Fact]
    public async Task Replace_ViolatesSchema_Is422()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();
        var created = (JsonElement)await CreateAsync(client, Job("j", "{}"));
        var replacement = JsonNode.Parse(created.GetRawText())!.AsObject();
        replacement["spec"]!["replicas"] = 0;

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity,
            () => client.CustomObjects.ReplaceNamespacedCustomObjectAsync(replacement, Group, Version, "default", Plural, "j"));

        AssertInvalid(status, "j", "spec.replicas", "FieldValueInvalid", "Invalid value: 0: spec.replicas in body should be greater than or equal to 1");
    }

    [Fact]
    public async Task StatusWrite_ValidatesTheStatusSchema()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();
        await CreateAsync(client, Job("j", "{}"));

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"observedGeneration":-1}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "j"));
        var accepted = (JsonElement)await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"phase":"Running","observedGeneration":1}}""", V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, "j");

        AssertInvalid(status, "j", "status.observedGeneration", "FieldValueInvalid",
            "Invalid value: -1: status.observedGeneration in body should be greater than or equal to 0");
        Assert.Equal("Running", accepted.GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Create_OmittedFields_GetTheSchemaDefaults()
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var created = (JsonElement)await CreateAsync(client, Job("j", """{"accelerators": {"fpga": {"resource": "fpga.intel.com/region-abc"}}}"""));

        var spec = created.GetProperty("spec");
        Assert.Equal(1, spec.GetProperty("replicas").GetInt32());
        Assert.Equal("Never", spec.GetProperty("restartPolicy").GetString());
        Assert.Equal(0, spec.GetProperty("accelerators").GetProperty("gpus").GetInt32());
        Assert.Equal(1, spec.GetProperty("accelerators").GetProperty("fpga").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Create_UnknownFieldWithoutDirective_IsPrunedWithAWarning()
    {
        await using var sut = await StartAsync();
        using var http = sut.Http();

        using var response = await http.PostAsync("/apis/lepton.ai/v1alpha1/namespaces/default/leptonjobs", Json(Job("j", """{"foo": 1, "template": {"spec": {"containers": [{"name": "m", "image": "i"}]}, "kept": true}}""")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.foo\\\"\""], response.Headers.GetValues("Warning"));
        var stored = sut.Get("leptonjobs", "default", "j")!;
        Assert.False(stored["spec"]!.AsObject().ContainsKey("foo"));
        Assert.True((bool)stored["spec"]!["template"]!["kept"]!, "x-kubernetes-preserve-unknown-fields keeps the template's fields");
    }

    [Fact]
    public async Task Create_UnknownFieldUnderStrict_Is400StrictDecodingError()
    {
        await using var sut = await StartAsync();
        using var http = sut.Http();

        using var response = await http.PostAsync("/apis/lepton.ai/v1alpha1/namespaces/default/leptonjobs?fieldValidation=Strict", Json(Job("j", """{"foo": 1, "accelerators": {"gpus": 1, "bar": 2}}""")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("BadRequest", (string?)status["reason"]);
        Assert.Equal(
            "LeptonJob in version \"v1alpha1\" cannot be handled as a LeptonJob: strict decoding error: unknown field \"spec.accelerators.bar\", unknown field \"spec.foo\"",
            (string?)status["message"]);
        Assert.Null(sut.Get("leptonjobs", "default", "j"));
    }

    [Fact]
    public async Task Create_UnknownFieldUnderIgnore_IsPrunedSilently()
    {
        await using var sut = await StartAsync();
        using var http = sut.Http();

        using var response = await http.PostAsync("/apis/lepton.ai/v1alpha1/namespaces/default/leptonjobs?fieldValidation=Ignore", Json(Job("j", """{"foo": 1}""")));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
        Assert.False(sut.Get("leptonjobs", "default", "j")!["spec"]!.AsObject().ContainsKey("foo"));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Create_ExampleManifest_IsAccepted(string file)
    {
        await using var sut = await StartAsync();
        using var client = sut.Client();

        var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            RepoFiles.Example(file), Group, Version, "default", Plural, fieldValidation: "Strict");

        Assert.Equal(RepoFiles.Example(file)["metadata"]!["name"]!.GetValue<string>(), created.GetProperty("metadata").GetProperty("name").GetString());
    }

    [Fact]
    public async Task RegisterCrd_RuleDoesNotCompile_Is422()
    {
        await using var sut = await StartAsync(registerCrd: false);
        var crd = RepoFiles.LeptonJobCrd();
        crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.spec.replicas >" });

        var error = Assert.Throws<KubeApiException>(() => sut.RegisterCustomResourceDefinition(crd));

        Assert.Equal(422, error.Code);
        Assert.Contains(
            "spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: \"self.spec.replicas >\": compilation failed: ",
            error.Message,
            StringComparison.Ordinal);
    }

    private static async Task<KubeApiTestServer> StartAsync(bool registerCrd = true)
    {
        var server = await TestServer.StartAsync(TestServer.NewClock());
        if (registerCrd)
        {
            server.RegisterCustomResourceDefinition(RepoFiles.LeptonJobCrd());
        }

        return server;
    }

    private static Task<object> CreateAsync(Kubernetes client, JsonObject job) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(job, Group, Version, "default", Plural);

    /// <summary>A valid Training job with <paramref name="specPatch"/> merged into its spec (a null removes a field).</summary>
    private static JsonObject Job(string name, string specPatch)
    {
        var spec = new JsonObject
        {
            ["type"] = "Training",
            ["template"] = JsonNode.Parse("""{"spec": {"containers": [{"name": "main", "image": "busybox"}]}}"""),
        };
        foreach (var (key, value) in JsonNode.Parse(specPatch)!.AsObject())
        {
            if (value is null)
            {
                spec.Remove(key);
            }
            else
            {
                spec[key] = value.DeepClone();
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "lepton.ai/v1alpha1",
            ["kind"] = "LeptonJob",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = spec,
        };
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static void AssertInvalid(JsonObject status, string name, string field, string reason, string body)
    {
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.Equal($"LeptonJob.lepton.ai \"{name}\" is invalid: {field}: {body}", (string?)status["message"]);
        var details = status["details"]!;
        Assert.Equal(name, (string?)details["name"]);
        Assert.Equal("lepton.ai", (string?)details["group"]);
        Assert.Equal("LeptonJob", (string?)details["kind"]);
        var cause = Assert.Single(details["causes"]!.AsArray())!;
        Assert.Equal(reason, (string?)cause["reason"]);
        Assert.Equal(field, (string?)cause["field"]);
        Assert.Equal(body, (string?)cause["message"]);
    }
}
