import { test } from 'vitest';
import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from '@actions/workflow-parser';
test('probe', async () => {
const content = `on: push
permissions: { contents: read, bogus: write }
jobs:
  build:
    runs-on: ubuntu-latest
    if: \${{ github.event_name == 'x' }}
    steps:
    - run: echo 'hello'
      uses: foo/bar@v1
`;
const r = parseWorkflow({ name: 'x.yml', content }, new NoOperationTraceWriter());
console.log(r.context.errors.getErrors().map(e=>e.message));
const t = await convertWorkflowTemplate(r.context, r.value!);
console.log(t.errors, r.context.errors.getErrors().map(e=>e.message));
});
