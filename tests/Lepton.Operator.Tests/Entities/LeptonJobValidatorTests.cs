using k8s.Models;
using Lepton.Operator.Crds;
using Lepton.Operator.Entities;

namespace Lepton.Operator.Tests.Entities;

/// <summary>
/// The operator's own checks: only what the CRD cannot express. The schema and CEL rules are the API
/// server's, tested through the API server double in
/// <c>tests/Lepton.Testing.KubeApiServer.Tests/Validation/CustomResourceSchemaTests.cs</c>.
/// </summary>
public class LeptonJobValidatorTests
{
    [Fact]
    public void Validate_RunnableJob_HasNoViolations()
    {
        var sut = Job();

        Assert.Empty(LeptonJobValidator.Validate(sut));
    }

    [Fact]
    public void Validate_SchemaViolationTheApiServerRejects_IsNotRechecked()
    {
        var sut = Job();
        sut.Spec.Replicas = 0;
        sut.Spec.MinAvailable = 5;

        Assert.Empty(LeptonJobValidator.Validate(sut));
    }

    [Fact]
    public void Validate_TemplateWithoutContainers_IsReportedAsTheSchemalessTemplateAllowsIt()
    {
        var sut = Job();
        sut.Spec.Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [] } };

        var violation = Assert.Single(LeptonJobValidator.Validate(sut));

        Assert.Equal("spec.template.spec.containers", violation.Path);
        Assert.Equal("Required value: the pod template needs at least one container", violation.Message);
    }

    [Fact]
    public void Validate_TemplateWithoutPodSpec_IsReported()
    {
        var sut = Job();
        sut.Spec.Template = new V1PodTemplateSpec();

        Assert.Equal("spec.template.spec.containers", Assert.Single(LeptonJobValidator.Validate(sut)).Path);
    }

    [Fact]
    public void Validate_NoSpec_IsReported()
    {
        var sut = Job();
        sut.Spec = null!;

        Assert.Equal(new FieldViolation("spec", "Required value"), Assert.Single(LeptonJobValidator.Validate(sut)));
    }

    [Fact]
    public void Describe_Violations_JoinsThemIntoOneMessage()
    {
        var message = LeptonJobValidator.Describe([new FieldViolation("spec.replicas", "Invalid value: 0: x"), new FieldViolation("spec.type", "Required value")]);

        Assert.Equal("invalid spec: spec.replicas: Invalid value: 0: x; spec.type: Required value", message);
        Assert.Equal(string.Empty, LeptonJobValidator.Describe([]));
    }

    private static V1Alpha1LeptonJob Job() => new()
    {
        Metadata = new V1ObjectMeta { Name = "j" },
        Spec = new V1Alpha1LeptonJobSpec
        {
            Type = LeptonJobTypes.Training,
            Replicas = 1,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };
}
