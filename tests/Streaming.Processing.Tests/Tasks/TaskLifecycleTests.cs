using Streaming.Processing.Processors;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Tests.Tasks;

public sealed class TaskLifecycleTests
{
    public static TheoryData<TaskState, TaskState> Legal => new()
    {
        { TaskState.Created, TaskState.Restoring },
        { TaskState.Restoring, TaskState.Running },
        { TaskState.Running, TaskState.Suspended },
        { TaskState.Suspended, TaskState.Closed },
        { TaskState.Running, TaskState.Closed },
        { TaskState.Restoring, TaskState.Closed },
    };

    [Theory]
    [MemberData(nameof(Legal))]
    public void IsValid_LifecycleSteps_AreAllowed(TaskState from, TaskState to) => Assert.True(TaskStateTransitions.IsValid(from, to));

    [Theory]
    [InlineData(TaskState.Created, TaskState.Running)]
    [InlineData(TaskState.Closed, TaskState.Running)]
    [InlineData(TaskState.Closed, TaskState.Restoring)]
    [InlineData(TaskState.Suspended, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Restoring)]
    [InlineData(TaskState.Running, TaskState.Running)]
    public void IsValid_SkippedOrBackwardSteps_AreRefused(TaskState from, TaskState to) => Assert.False(TaskStateTransitions.IsValid(from, to));

    [Fact]
    public void Punctuation_StreamTime_FiresOncePerIntervalAndNotBeforeTheFirstRecord()
    {
        var fired = new List<long>();
        var punctuation = new Punctuation(1_000, PunctuationType.StreamTime, fired.Add);

        Assert.False(punctuation.MaybeFire(-1));
        Assert.False(punctuation.MaybeFire(10_000));
        Assert.False(punctuation.MaybeFire(10_999));
        Assert.True(punctuation.MaybeFire(11_000));
        Assert.False(punctuation.MaybeFire(11_500));
        Assert.True(punctuation.MaybeFire(15_000));

        Assert.Equal([11_000L, 15_000L], fired);
    }

    [Fact]
    public void Punctuation_Cancelled_NeverFiresAgain()
    {
        var fired = 0;
        var punctuation = new Punctuation(10, PunctuationType.WallClockTime, _ => fired++);
        punctuation.MaybeFire(0);
        punctuation.Dispose();

        Assert.False(punctuation.MaybeFire(1_000));
        Assert.Equal(0, fired);
    }

    [Fact]
    public void TaskId_PrintsAndParsesLikeKafkaStreams()
    {
        Assert.Equal("0_7", new TaskId(7).ToString());
        Assert.Equal(new TaskId(7), TaskId.TryParse("0_7"));
        Assert.Null(TaskId.TryParse("1_7"));
        Assert.Null(TaskId.TryParse("lost+found"));
    }
}
