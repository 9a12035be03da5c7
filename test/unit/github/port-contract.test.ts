// The GitHub port contract (port-contract/): the same cases against the real Octokit port over
// the HTTP stand-in and against the in-memory fake (test/support/fake-github/).
import { portContract } from './port-contract/contract.js';
import { fakePort, realPort } from './port-contract/subject.js';

portContract('the Octokit port over the HTTP stand-in', realPort);
portContract('the in-memory fake', fakePort);
