// What -AsJob returns: a job that is Running until the simulated operation completes (or forever
// for a guest that never shuts down). It lives in this process only; the VM's state in the state
// file is computed from the time of the call, so another process polling Get-VM sees the same thing.
using System;
using System.Management.Automation;
using System.Threading;

namespace NestvirtSim
{
    public sealed class SimJob : Job
    {
        private readonly string _location;
        private Timer _timer;

        /// <param name="seconds">0: completed at once; &gt; 0: completes after that delay; &lt; 0: never.</param>
        public SimJob(string command, string name, string location, double seconds) : base(command, name)
        {
            _location = location;
            PSJobTypeName = "VMJob";
            if (seconds == 0)
            {
                SetJobState(JobState.Completed);
            }
            else
            {
                SetJobState(JobState.Running);
                if (seconds > 0)
                {
                    _timer = new Timer(_ => Finish(JobState.Completed), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
                }
            }
        }

        private void Finish(JobState state)
        {
            JobState now = JobStateInfo.State;
            if (now != JobState.Completed && now != JobState.Failed && now != JobState.Stopped) SetJobState(state);
        }

        public override string StatusMessage { get { return ""; } }
        public override bool HasMoreData { get { return false; } }
        public override string Location { get { return _location; } }

        public override void StopJob()
        {
            if (_timer != null) _timer.Dispose();
            Finish(JobState.Stopped);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _timer != null) _timer.Dispose();
            base.Dispose(disposing);
        }
    }
}
