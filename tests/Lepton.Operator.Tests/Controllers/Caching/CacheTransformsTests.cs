using k8s.Models;
using Lepton.Operator.Controllers.Caching;
using Lepton.Operator.Controllers.Informers;
using Lepton.Testing;

namespace Lepton.Operator.Tests.Controllers.Caching;

public sealed class CacheTransformsTests
{
    [Fact]
    public void Deduplicate_TwoPodsWithEqualValues_ShareStringAndQuantityInstances()
    {
        var sut = CacheTransforms.Deduplicate<V1Pod>();

        var a = sut(RealisticObjects.Pod(1));
        var b = sut(RealisticObjects.Pod(2));

        Assert.Same(a.Spec.Containers[0].Image, b.Spec.Containers[0].Image);
        Assert.Same(a.Metadata.Labels.Keys.First(), b.Metadata.Labels.Keys.First());
        Assert.Same(a.Status.Conditions[0].Type, b.Status.Conditions[0].Type);
        Assert.Same(a.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"], b.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"]);
        Assert.Equal("8", b.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public void Deduplicate_PoolFull_ClearsItAndKeepsValuesIntact()
    {
        var sut = CacheTransforms.Deduplicate<V1Pod>(poolCapacity: 8);

        var pods = Enumerable.Range(0, 20).Select(i => sut(RealisticObjects.Pod(i))).ToList();

        Assert.All(pods, p => Assert.Equal("registry.example.com/ml/trainer:v1.2.3", p.Spec.Containers[0].Image));
        Assert.Equal("train-job-2-worker-3", pods[19].Metadata.Name);
    }

    [Fact]
    public void SlimPod_RealisticPod_DropsKubeletOnlyFieldsAndKeepsWhatSchedulingReads()
    {
        var pod = RealisticObjects.Pod(3);

        var sut = CacheTransforms.SlimPod(pod);

        var container = sut.Spec.Containers[0];
        Assert.Null(sut.Spec.Volumes);
        Assert.Null(container.Env);
        Assert.Null(container.Command);
        Assert.Null(container.VolumeMounts);
        Assert.Equal("1", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("trainer", container.Name);
        Assert.Equal("node-3", sut.Spec.NodeName);
        Assert.Equal(3, sut.Spec.Tolerations.Count);
        Assert.Equal("Running", sut.Status.Phase);
        Assert.Equal(5, sut.Status.Conditions.Count);
    }

    [Fact]
    public void DefaultTransform_Node_DropsImagesAndManagedFieldsButKeepsCapacity()
    {
        var sut = ResourceInformer<V1Node>.DefaultTransform(new InformerOptions());

        var node = sut(RealisticObjects.Node(1));

        Assert.Null(node.Status.Images);
        Assert.Null(node.Metadata.ManagedFields);
        Assert.Equal("8", node.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);
    }

    [Fact]
    public void DefaultTransform_SlimmingOff_KeepsThePodSpec()
    {
        var sut = ResourceInformer<V1Pod>.DefaultTransform(new InformerOptions { SlimWellKnownTypes = false, DeduplicateStrings = false });

        var pod = sut(RealisticObjects.Pod(1));

        Assert.Equal(12, pod.Spec.Containers[0].Env.Count);
        Assert.Null(pod.Metadata.ManagedFields);
        Assert.DoesNotContain(CacheTransforms.LastAppliedConfiguration, pod.Metadata.Annotations.Keys);
    }
}
