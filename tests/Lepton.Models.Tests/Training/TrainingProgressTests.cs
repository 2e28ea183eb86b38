using Lepton.Models.Training;

namespace Lepton.Models.Tests.Training;

public class TrainingProgressTests
{
    [Fact]
    public void Report_Redirected_PlainLinesAboutEveryTenPercent()
    {
        var output = new StringWriter();
        var sut = new TrainingProgress(output, interactive: false);

        for (var i = 1; i <= 100; i++)
        {
            sut.Report("stage", i, 100, "x");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 10, 12);
        Assert.StartsWith("stage: 1/100", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("stage: 100/100 (100%)", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', output.ToString());
    }
}
