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
        [
          [{ code: `${prefix}rollback [release-id]` }],
          [
            'Offer a switch back to an earlier release that is complete on every server (those in ',
            { code: 'rollback.allowed' },
            ').',
          ],
        ],
        [
          [{ code: `${prefix}status [environment]` }],
          ["Show each server's release, the releases kept, the locks and any open prompt."],
        ],
        [
          [{ code: `${prefix}lock <environment> <reason> [for <duration>]` }],
          [
            'Hold the environment: no deployment starts until it is unlocked or expires (',
            { code: 'operators' },
            ').',
          ],
        ],
        [
          [{ code: `${prefix}unlock <environment>` }],
          ['Release a hold set with ', { code: `${prefix}lock` }, '.'],
        ],
        [
          [{ code: `${prefix}emergency <reason>` }],
          [
            "Break-glass (requester only): switch the request to the environment's ",
            { code: 'emergency' },
            ' policy; its approvers are asked, and a review follows the deployment.',
          ],
        ],
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
