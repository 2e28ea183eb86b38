using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Jobs;

namespace Lepton.Operator.Tests.Jobs;

public sealed class JobPodBuilderTests
{
    private readonly JobPodBuilder _sut = new(new OperatorOptions());

    [Fact]
    public void BuildPod_DistributedTraining_GatedWithLabelsOwnerDnsAndTorchEnvironment()
    {
        var job = Job(LeptonJobTypes.Training, replicas: 4, new V1Alpha1LeptonJobAccelerators { Gpus = 8, GpuModels = ["NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3"] });
        job.Spec.PriorityClassName = "high";

        var pod = _sut.BuildPod(job, index: 2, attempt: 0);

        Assert.Equal("train-2", pod.Metadata.Name);
        Assert.Equal("team-a", pod.Metadata.NamespaceProperty);
        Assert.Equal("train", pod.Metadata.Labels[LeptonJobKeys.JobLabel]);
        Assert.Equal("train", pod.Metadata.Labels[LeptonJobKeys.GangLabel]);
        Assert.Equal("2", pod.Metadata.Labels[LeptonJobKeys.ReplicaIndexLabel]);
        Assert.Equal("web", pod.Metadata.Labels["app"]);
        Assert.Equal("0", pod.Metadata.Annotations[LeptonJobKeys.AttemptAnnotation]);
        Assert.Equal("NVIDIA-A100-SXM4-80GB|NVIDIA-H100-80GB-HBM3", pod.Metadata.Annotations["lepton.ai/gpu-models"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("lepton.ai/v1alpha1", "LeptonJob", "train", "uid-1", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("lepton-scheduler", pod.Spec.SchedulerName);
        Assert.Equal("high", pod.Spec.PriorityClassName);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal(["user-gate", LeptonJobKeys.GangSchedulingGate], pod.Spec.SchedulingGates.Select(g => g.Name));
        Assert.Equal(("train-2", "train"), (pod.Spec.Hostname, pod.Spec.Subdomain));
        var c = pod.Spec.Containers[0];
        Assert.Equal("8", c.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("8", c.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("4", c.Resources.Requests["cpu"].ToString());
        var env = c.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("2", env["LEPTON_REPLICA_INDEX"]);
        Assert.Equal("2", env["RANK"]);
        Assert.Equal("4", env["WORLD_SIZE"]);
        Assert.Equal("train-0.train.team-a.svc.cluster.local", env["MASTER_ADDR"]);
        Assert.Equal("29500", env["MASTER_PORT"]);
        Assert.Equal("kept", env["USER_VAR"]);
        Assert.Equal("2", pod.Spec.Containers[1].Env.Single(e => e.Name == "RANK").Value);
        Assert.Null(job.Spec.Template.Spec.SchedulingGates.SingleOrDefault(g => g.Name == LeptonJobKeys.GangSchedulingGate));
    }

    [Fact]
    public void BuildPod_RequestsGpusAndFpga_ToleratesTheirResourceTaints_AsExtendedResourceTolerationWould()
    {
        var job = Job(LeptonJobTypes.Inference, replicas: 1, new V1Alpha1LeptonJobAccelerators { Gpus = 2, Fpga = new V1Alpha1LeptonJobFpga { Resource = "xilinx.com/fpga-u250", Count = 1 } });
        job.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        var pod = _sut.BuildPod(job, index: 0, attempt: 0);

        var tolerations = pod.Spec.Tolerations.Select(t => $"{t.Key}:{t.OperatorProperty}:{t.Effect}").ToList();
        Assert.Equal(["nvidia.com/gpu:Exists:NoSchedule", "xilinx.com/fpga-u250:Exists:NoSchedule"], tolerations);
    }

    [Fact]
    public void BuildPod_CpuOnly_AddsNoToleration()
    {
        var pod = _sut.BuildPod(Job(LeptonJobTypes.Inference, replicas: 1, null), index: 0, attempt: 0);

        Assert.Null(pod.Spec.Tolerations);
    }

    [Fact]
    public void BuildPod_FractionalInference_OneSharedDeviceWithMilliAnnotationAndNoGate()
    {
        var sut = new JobPodBuilder(new OperatorOptions { SharedGpuResource = "nvidia.com/gpu.shared" });
        var job = Job(LeptonJobTypes.Inference, replicas: 4, new V1Alpha1LeptonJobAccelerators { Gpus = 1, GpuMilli = 460 });

        var pod = sut.BuildPod(job, index: 3, attempt: 2);

        Assert.Equal("train-3-r2", pod.Metadata.Name);
        Assert.Equal("460", pod.Metadata.Annotations["lepton.ai/gpu-milli"]);
        Assert.Equal("1", pod.Spec.Containers[0].Resources.Limits["nvidia.com/gpu.shared"].ToString());
        Assert.False(pod.Metadata.Labels.ContainsKey(LeptonJobKeys.GangLabel));
        Assert.Equal(["user-gate"], pod.Spec.SchedulingGates.Select(g => g.Name));
        Assert.Null(pod.Spec.Hostname);
        Assert.Equal("overridden", pod.Spec.Containers[0].Env.Single(e => e.Name == "RANK").Value);
        Assert.DoesNotContain(pod.Spec.Containers[0].Env, e => e.Name is "WORLD_SIZE" or "MASTER_ADDR");
        Assert.Equal("3", pod.Spec.Containers[0].Env.Single(e => e.Name == "LEPTON_REPLICA_INDEX").Value);
    }

    [Fact]
    public void BuildPod_TemplateNamesAmdGpusAndJobWantsFpga_KeepsTheGpuResourceAndAddsTheFpga()
    {
        var job = Job(LeptonJobTypes.Training, replicas: 1, new V1Alpha1LeptonJobAccelerators { Gpus = 2, Fpga = new V1Alpha1LeptonJobFpga { Resource = "fpga.intel.com/region-ce48", Count = 1 } });
        job.Spec.Template.Spec.Containers[0].Resources.Limits = new Dictionary<string, ResourceQuantity> { ["amd.com/gpu"] = new("1") };

        var pod = _sut.BuildPod(job, 0, 0);

        var limits = pod.Spec.Containers[0].Resources.Limits;
        Assert.Equal("2", limits["amd.com/gpu"].ToString());
        Assert.False(limits.ContainsKey("nvidia.com/gpu"));
        Assert.Equal("1", limits["fpga.intel.com/region-ce48"].ToString());
        Assert.Null(pod.Spec.Hostname);
    }

    [Fact]
    public void BuildService_DistributedJob_HeadlessSelectingTheJobsPods()
    {
        var job = Job(LeptonJobTypes.Training, replicas: 2, null);

        var service = JobPodBuilder.BuildService(job);

        Assert.Equal("train", service.Metadata.Name);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(service.Spec.PublishNotReadyAddresses);
        Assert.Equal("train", service.Spec.Selector[LeptonJobKeys.JobLabel]);
        Assert.True(Assert.Single(service.Metadata.OwnerReferences).Controller);
    }

    [Theory]
    [InlineData("a-very-long-job-name-that-is-far-longer-than-a-dns-label-may-be-at-all", 3)]
    [InlineData("9lives", 0)]
    [InlineData("dotted.name", 1)]
    public void JobNames_NamesThatBreakLabelRules_AreShortenedStablyAndStayValid(string job, int index)
    {
        var hostname = JobNames.Hostname(job, index);
        var service = JobNames.Service(job);
        var label = JobNames.LabelValue(job);

        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", hostname);
        Assert.True(hostname.Length <= 63);
        Assert.EndsWith("-" + index, hostname, StringComparison.Ordinal);
        Assert.Matches("^[a-z]([-a-z0-9]*[a-z0-9])?$", service);
        Assert.True(service.Length <= 63);
        Assert.True(label.Length <= 63);
        Assert.Equal(service, JobNames.Service(job));
        Assert.Equal(job + "-" + index, JobNames.Pod(job, index, 0));
    }

    private static V1Alpha1LeptonJob Job(string type, int replicas, V1Alpha1LeptonJobAccelerators? accelerators) => new()
    {
        Metadata = new V1ObjectMeta { Name = "train", NamespaceProperty = "team-a", Uid = "uid-1", Generation = 1 },
        Spec = new V1Alpha1LeptonJobSpec
        {
            Type = type,
            Replicas = replicas,
            Accelerators = accelerators,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec
                {
                    SchedulingGates = [new V1PodSchedulingGate { Name = "user-gate" }],
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "main",
                            Image = "busybox",
                            Env = [new V1EnvVar { Name = "USER_VAR", Value = "kept" }, new V1EnvVar { Name = "RANK", Value = "overridden" }],
                            Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } },
                        },
                        new V1Container { Name = "sidecar", Image = "busybox" },
                    ],
                },
            },
        },
    };
}
