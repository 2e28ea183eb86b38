using Lepton.Simulator.Tests.Testing;
using Lepton.Simulator.Workloads;
using Lepton.Testing;

namespace Lepton.Simulator.Tests.Workloads;

public class OpenbCsvTests
{
    private const string PodHeader = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time";

    [Fact]
    public void ReadPods_FullRow_MapsAsTheArtifact()
    {
        var csv = PodHeader + "\n" +
                  "p1,6000,12288,1,460,,LS,Running,10,70,10\n" +
                  "p2,12000,16384,8,1000,V100M16|V100M32|V100M32,BE,Failed,20,25,\n" +
                  "p3,1000,2048,0,0,,Burstable,Running,30,,\n" +
                  "p4,1000,2048,1,1500,,BE,Running,40,50,40\n";

        var sut = OpenbCsv.ReadPods(new StringReader(csv), "pods.csv");

        Assert.Equal(4, sut.Count);
        var share = sut[0];
        Assert.Equal(("p1", 6000L, 12288L * 1024 * 1024, 1, 460), (share.Pod.Name, share.Pod.CpuMilli, share.Pod.MemoryBytes, share.Pod.GpuCount, share.Pod.GpuMilli));
        Assert.Equal((10L, 70L, 60L), (share.CreatedAtSeconds!.Value, share.DeletedAtSeconds!.Value, share.RunSeconds!.Value));
        Assert.Equal(2, share.Pod.Priority);
        Assert.Equal(["V100M16", "V100M32", "V100M32"], sut[1].Pod.GpuModels.ToArray());
        Assert.Equal(0, sut[1].Pod.Priority);
        Assert.Null(sut[2].DeletedAtSeconds);
        Assert.False(sut[2].Pod.NeedsGpu);
        Assert.Equal(1000, sut[3].Pod.GpuMilli);
    }

    [Fact]
    public void ReadPods_FiveColumnMultiGpuList_ReadsWithoutTimes()
    {
        var csv = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\nopenb-pod-0000,12000,16384,1,1000\nopenb-pod-0001,6000,12288,1,460\n";

        var sut = OpenbCsv.ReadPods(new StringReader(csv), "multigpu.csv");

        Assert.Equal(2, sut.Count);
        Assert.All(sut, p => Assert.Null(p.CreatedAtSeconds));
        Assert.All(sut, p => Assert.Empty(p.Pod.GpuModels));
    }

    [Theory]
    [InlineData("p1,6000,abc,1,460", 2, 3, "'memory_mib' is 'abc'; expected an integer")]
    [InlineData("p1,6000,12288,1,-5", 2, 5, "'gpu_milli' is -5")]
    [InlineData("p1,6000,12288,1", 2, 5, "expected 5 fields, found 4")]
    [InlineData("p1,6000,12288,1,460,9", 2, 6, "expected 5 fields, found 6")]
    [InlineData(",6000,12288,1,460", 2, 1, "'name' is empty")]
    [InlineData("p1,,12288,1,460", 2, 2, "'cpu_milli' is empty")]
    public void ReadPods_MalformedRow_FailsWithFileLineAndColumn(string row, int line, int column, string reason)
    {
        var csv = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\n" + row + "\n";

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadPods(new StringReader(csv), "pods.csv"));

        Assert.Equal(("pods.csv", line, column), (e.FilePath, e.Line, e.Column));
        Assert.StartsWith($"pods.csv:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPods_ErrorOnALaterLine_CountsLinesFromTheHeader()
    {
        var csv = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1,1,0,0\np2,1,1,0,0\np3,1,1,x,0\n";

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadPods(new StringReader(csv), "pods.csv"));

        Assert.Equal((4, 4), (e.Line, e.Column));
    }

    [Fact]
    public void ReadPods_DuplicateName_Fails()
    {
        var csv = "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np1,1,1,0,0\np1,1,1,0,0\n";

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadPods(new StringReader(csv), "pods.csv"));

        Assert.Equal((3, 1), (e.Line, e.Column));
        Assert.Contains("appears twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPods_DeletionBeforeCreation_FailsOnDeletionColumn()
    {
        var csv = PodHeader + "\np1,1,1,0,0,,LS,Running,100,50,\n";

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadPods(new StringReader(csv), "pods.csv"));

        Assert.Equal((2, 10), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("name,cpu_milli,memory_mib,num_gpu\n", "lacks column 'gpu_milli'")]
    [InlineData("name,cpu_milli,memory_mib,num_gpu,gpu_milli\n", "has no rows")]
    [InlineData("name,cpu_milli,cpu_milli,memory_mib,num_gpu,gpu_milli\n", "appears twice in the header")]
    public void ReadPods_BadHeaderOrEmpty_Fails(string csv, string reason)
    {
        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadPods(new StringReader(csv), "pods.csv"));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("pods.csv", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadNodes_Rows_MapToArtifactNodes()
    {
        var csv = "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,262144,2,P100\nn2,32000,262144,0,\n";

        var sut = OpenbCsv.ReadNodes(new StringReader(csv), "nodes.csv");

        Assert.Equal(("n1", 64000L, 262144L * 1024 * 1024, 2, "P100", 1001), (sut[0].Name, sut[0].CpuMilli, sut[0].MemoryBytes, sut[0].GpuCards, sut[0].GpuModel, sut[0].MaxPods));
        Assert.Null(sut[1].GpuModel);
    }

    [Fact]
    public void ReadNodes_BadGpuCount_FailsWithColumn()
    {
        var csv = "sn,cpu_milli,memory_mib,gpu,model\nn1,64000,262144,two,P100\n";

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadNodes(new StringReader(csv), "nodes.csv"));

        Assert.Equal("nodes.csv:2:4: 'gpu' is 'two'; expected an integer", e.Message);
    }

    [Fact]
    public void ReadNodes_MissingFile_FailsNamingTheFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "no-such-dir", "nodes.csv");

        var e = Assert.Throws<WorkloadFormatException>(() => OpenbCsv.ReadNodes(path));

        Assert.StartsWith(path + ": cannot read the file", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void ReadPods_EveryOpenbList_Reads()
    {
        Skip.If(OpenbTraces.Directory is null, OpenbTraces.SkipMessage);

        var nodes = OpenbCsv.ReadNodes(OpenbTraces.NodeList);
        Assert.Equal(1213, nodes.Count);
        Assert.Equal(6212, nodes.Sum(n => n.GpuCards));
        foreach (var file in Directory.GetFiles(OpenbTraces.Directory!, "openb_pod_list_*.csv"))
        {
            var pods = OpenbCsv.ReadPods(file);
            Assert.NotEmpty(pods);
            Assert.Equal(!Path.GetFileName(file).Contains("multigpu", StringComparison.Ordinal), pods[0].CreatedAtSeconds is not null);
        }
    }
}
