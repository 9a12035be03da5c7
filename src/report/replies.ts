// Short replies to comment commands, rendered from data through the Markdown module.
import { prose, renderMarkdown, type Block, type Inline } from './markdown.js';

export function helpReply(prefix: string, unknownWord?: string): string {
  const blocks: Block[] = [];
  if (unknownWord !== undefined) {
    blocks.push({
      kind: 'paragraph',
      text: [{ code: `${prefix}${unknownWord}` }, ' is not a deploy-request command.'],
    });
  }
  blocks.push(
    { kind: 'paragraph', text: ['deploy-request commands (first line of a comment):'] },
    {
      kind: 'table',
      headers: ['Command', 'What it does'],
      rows: [
        [
          [{ code: `${prefix}confirm <digest>` }],
          ['Deploy the plan of the confirmation comment (requester only).'],
        ],
        [[{ code: `${prefix}recheck` }], ['Run provisioning and the environment checks again.']],
        [[{ code: `${prefix}cancel` }], ['Withdraw this deploy request.']],
        [[{ code: `${prefix}help` }], ['Show this list.']],
      ],
    },
  );
  return renderMarkdown(blocks);
}

export function refusalReply(command: string, reason: Inline[]): string {
  return renderMarkdown([
    {
      kind: 'paragraph',
      text: [
        '⛔ ',
        { code: command },
        ' was refused: ',
        ...reason.flatMap((part) => (typeof part === 'string' ? prose(part) : [part])),
      ],
    },
    { kind: 'paragraph', text: ['Nothing was run.'] },
  ]);
}

export function noticeReply(parts: Inline[]): string {
  return renderMarkdown([{ kind: 'paragraph', text: parts }]);
}
