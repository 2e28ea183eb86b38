using k8s;
using k8s.Models;
using Lepton.Operator.Crds;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Entities;

public class LeptonJobValidatorTests
{
    public static TheoryData<string, Action<V1Alpha1LeptonJobSpec>, string, string> InvalidSpecs => new()
    {
        { "minAvailable above replicas", s => { s.Replicas = 4; s.MinAvailable = 5; }, "spec.minAvailable", "minAvailable must not exceed replicas (4)" },
        { "gpuMilli with 2 GPUs", s => s.Accelerators = new() { Gpus = 2, GpuMilli = 500 }, "spec.accelerators.gpuMilli", "requires gpus: 1 (gpus is 2)" },
        { "gpuMilli without GPUs", s => s.Accelerators = new() { GpuMilli = 500 }, "spec.accelerators.gpuMilli", "requires gpus: 1 (gpus is 0)" },
        { "unknown type", s => s.Type = "Batch", "spec.type", "Unsupported value: \"Batch\": supported values: \"Training\", \"Inference\"" },
        { "missing type", s => s.Type = "", "spec.type", "Required value" },
        { "zero replicas", s => s.Replicas = 0, "spec.replicas", "Invalid value: 0: should be greater than or equal to 1" },
        { "too many replicas", s => s.Replicas = 10001, "spec.replicas", "should be less than or equal to 10000" },
        { "65 GPUs", s => s.Accelerators = new() { Gpus = 65 }, "spec.accelerators.gpus", "should be less than or equal to 64" },
        { "negative GPUs", s => s.Accelerators = new() { Gpus = -1 }, "spec.accelerators.gpus", "should be greater than or equal to 0" },
        { "gpuMilli 0", s => s.Accelerators = new() { Gpus = 1, GpuMilli = 0 }, "spec.accelerators.gpuMilli", "should be greater than or equal to 1" },
        { "gpuMilli 1001", s => s.Accelerators = new() { Gpus = 1, GpuMilli = 1001 }, "spec.accelerators.gpuMilli", "should be less than or equal to 1000" },
        { "gpuModels without GPUs", s => s.Accelerators = new() { GpuModels = ["V100M32"] }, "spec.accelerators.gpuModels", "gpuModels requires gpus >= 1" },
        { "gpuModels with a pipe", s => s.Accelerators = new() { Gpus = 1, GpuModels = ["A100|V100"] }, "spec.accelerators.gpuModels[0]", "should match" },
        { "duplicate gpuModels", s => s.Accelerators = new() { Gpus = 1, GpuModels = ["A100", "A100"] }, "spec.accelerators.gpuModels[1]", "Duplicate value: \"A100\"" },
        { "empty gpuModels", s => s.Accelerators = new() { Gpus = 1, GpuModels = [] }, "spec.accelerators.gpuModels", "should have at least 1 items" },
        { "GPU as FPGA resource", s => s.Accelerators = new() { Fpga = new() { Resource = "nvidia.com/gpu" } }, "spec.accelerators.fpga.resource", "Invalid value: \"nvidia.com/gpu\": should match" },
        { "FPGA without resource", s => s.Accelerators = new() { Fpga = new() }, "spec.accelerators.fpga.resource", "Required value" },
        { "zero FPGAs", s => s.Accelerators = new() { Fpga = new() { Resource = "fpga.intel.com/region-abc", Count = 0 } }, "spec.accelerators.fpga.count", "should be greater than or equal to 1" },
        { "priority class with capitals", s => s.PriorityClassName = "High", "spec.priorityClassName", "should match" },
        { "minAvailable 0", s => s.MinAvailable = 0, "spec.minAvailable", "should be greater than or equal to 1" },
        { "prose duration", s => s.ExpectedDuration = "2 hours", "spec.expectedDuration", "should match" },
        { "zero maxRuntime", s => s.MaxRuntime = "0s", "spec.maxRuntime", "must be a positive duration" },
        { "restartPolicy Always", s => s.RestartPolicy = "Always", "spec.restartPolicy", "supported values: \"Never\", \"OnFailure\"" },
        { "no containers", s => s.Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [] } }, "spec.template.spec.containers", "at least one container" },
        { "null template", s => s.Template = null!, "spec.template", "Required value" },
    };

    [Fact]
    public void ValidateSpec_ValidSpec_HasNoViolations()
    {
        var spec = ValidSpec();
        spec.Accelerators = new() { Gpus = 4, GpuModels = ["NVIDIA-A100-SXM4-80GB"] };
        spec.MinAvailable = 2;
        spec.Replicas = 2;
        spec.PriorityClassName = "high-priority";
        spec.ExpectedDuration = "1h30m";
        spec.MaxRuntime = "24h";

        Assert.Empty(LeptonJobValidator.ValidateSpec(spec));
    }

    [Fact]
    public void ValidateSpec_FractionalShareOfOneGpu_IsValid()
    {
        var spec = ValidSpec();
        spec.Type = LeptonJobTypes.Inference;
        spec.Accelerators = new() { Gpus = 1, GpuMilli = 460 };

        Assert.Empty(LeptonJobValidator.ValidateSpec(spec));
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void ValidateSpec_InvalidSpec_ReportsFieldAndReason(string scenario, Action<V1Alpha1LeptonJobSpec> breakIt, string path, string message)
    {
        var spec = ValidSpec();
        breakIt(spec);

        var violations = LeptonJobValidator.ValidateSpec(spec);

        Assert.True(
            violations.Any(v => v.Path == path && v.Message.Contains(message, StringComparison.Ordinal)),
            $"{scenario}: expected '{path}: ...{message}...', got [{string.Join(" | ", violations)}]");
    }

    [Fact]
    public void Validate_UnknownTypeFromYaml_DeserializesAndIsRejected()
    {
        var job = KubernetesYaml.Deserialize<V1Alpha1LeptonJob>("""
            apiVersion: lepton.ai/v1alpha1
            kind: LeptonJob
            metadata: {name: bad}
            spec:
              type: Batch
              replicas: 2
              minAvailable: 3
              template: {spec: {containers: [{name: c, image: busybox}]}}
            """);

        var violations = LeptonJobValidator.Validate(job);

        Assert.Equal(["spec.type", "spec.minAvailable"], violations.Select(v => v.Path));
    }

    [Fact]
    public void ValidateUpdate_TypeChanged_IsRejectedAsImmutable()
    {
        var before = ValidSpec();
        var after = ValidSpec();
        after.Type = LeptonJobTypes.Inference;

        var violations = LeptonJobValidator.ValidateUpdate(before, after);

        var violation = Assert.Single(violations);
        Assert.Equal("spec.type", violation.Path);
        Assert.Contains("type is immutable (was \"Training\")", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateUpdate_ReplicasChanged_IsAllowed()
    {
        var before = ValidSpec();
        var after = ValidSpec();
        after.Replicas = 3;

        Assert.Empty(LeptonJobValidator.ValidateUpdate(before, after));
    }

    [Fact]
    public void Describe_Violations_JoinsThemIntoOneMessage()
    {
        var message = LeptonJobValidator.Describe([new FieldViolation("spec.replicas", "Invalid value: 0: x"), new FieldViolation("spec.type", "Required value")]);

        Assert.Equal("invalid spec: spec.replicas: Invalid value: 0: x; spec.type: Required value", message);
        Assert.Equal(string.Empty, LeptonJobValidator.Describe([]));
    }

    [Fact]
    public void MirroredRules_CoverEveryValidationRuleAttribute()
    {
        var declared = typeof(V1Alpha1LeptonJob).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(V1Alpha1LeptonJob).Namespace)
            .SelectMany(t => t.GetCustomAttributes(typeof(Lepton.Operator.Crds.Attributes.ValidationRuleAttribute), false)
                .Concat(t.GetProperties().SelectMany(p => p.GetCustomAttributes(typeof(Lepton.Operator.Crds.Attributes.ValidationRuleAttribute), false))))
            .Cast<Lepton.Operator.Crds.Attributes.ValidationRuleAttribute>()
            .Select(a => a.Rule)
            .ToHashSet();

        Assert.Equal(declared.Order(), LeptonJobValidator.MirroredRules.Order());
    }

    private static V1Alpha1LeptonJobSpec ValidSpec() => new()
    {
        Type = LeptonJobTypes.Training,
        Replicas = 1,
        Template = new V1PodTemplateSpec
        {
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        },
    };
}
