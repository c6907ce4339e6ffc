// Within one activity every task runs in the same VM, so files written by one task are there for
// the next, in volumes and outside them. A new exe unit on the same rental is a new VM: gone.
import { GolemNetwork } from "@golem-sdk/golem-js";
import { checkEqual, order, runExample } from "./lib/example.mjs";

const probe = (path) => `if [ -e ${path} ]; then cat ${path}; else echo absent; fi`;

runExample("persistence", async () => {
  const glm = new GolemNetwork();
  await glm.connect();
  try {
    const rental = await glm.oneOf({ order: order() });
    const first = await rental.getExeUnit();
    await first.run("echo in-volume > /golem/work/state.txt");
    await first.run("echo in-memory > /root/state.txt");
    checkEqual(String((await first.run(probe("/golem/work/state.txt"))).stdout), "in-volume\n",
      "volume file seen by the next task");
    checkEqual(String((await first.run(probe("/root/state.txt"))).stdout), "in-memory\n",
      "file outside volumes seen by the next task");

    await rental.destroyExeUnit();
    const second = await rental.getExeUnit();
    checkEqual(String((await second.run(probe("/golem/work/state.txt"))).stdout), "absent\n",
      "volume file in a new exe unit");
    checkEqual(String((await second.run(probe("/root/state.txt"))).stdout), "absent\n",
      "file outside volumes in a new exe unit");
    await rental.stopAndFinalize();
  } finally {
    await glm.disconnect();
  }
});
